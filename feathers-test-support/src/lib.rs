//! Helpers the test folders of the workspace share, so each is written once.
//!
//! A dev-dependency only: nothing here is part of any published crate.
//!
//! ```
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use std::time::Duration;
//!
//! use feathers_test_support::eventually;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let calls = AtomicUsize::new(0);
//! let held = eventually(Duration::from_secs(1), || calls.fetch_add(1, Ordering::SeqCst) == 3).await;
//! assert!(held);
//! # }
//! ```

#![warn(missing_docs, unreachable_pub)]

mod eventually;

pub use eventually::{assert_eventually, eventually, eventually_async, POLL_INTERVAL};
