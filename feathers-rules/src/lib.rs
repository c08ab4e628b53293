//! The naming rules that feathers-rs applies twice: at compile time in the
//! `#[service]` macro, so that a typo is an error at the literal, and at startup in the
//! runtime, for services added without the macro. One copy of each rule lives here,
//! so the two can never disagree.
//!
//! This crate has no dependencies; the proc-macro crate and the core both use it.
#![warn(missing_docs, unreachable_pub)]

mod path;
mod reserved;

pub use path::{parse_service_path, PathError, PathSegment, ServicePath};
pub use reserved::{is_reserved_method_name, RESERVED_METHOD_NAMES};
