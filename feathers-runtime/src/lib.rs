//! Feathers-style real-time APIs for Rust.
//!
//! Put `#[service("messages")]` on an impl block and get a REST resource and
//! `created`/`updated`/`patched`/`removed` events; `feathers_runtime::serve()` starts
//! every service of the binary. See the README for a guide.

mod app;
mod builder;
mod context;
mod error;
mod events;
mod hooks;
mod id;
mod method;
mod page;
mod params;
mod pipeline;
mod registry;
mod serve;
mod service;
mod service_ref;
pub mod transport;

#[doc(hidden)]
pub mod __private;

pub use app::{App, Config};
pub use builder::AppBuilder;
pub use context::{HookContext, HookKind, HttpContext};
pub use error::{Error, ErrorKind, Result};
pub use events::{EventStream, ListenerId, ServiceEvent};
pub use hooks::{AroundHook, Hook, Hooks, IntoAroundHook, IntoHook, Next};
pub use id::{FromId, Id};
pub use method::{Method, RESERVED_METHOD_NAMES};
pub use page::Page;
pub use params::{Params, Provider};
pub use registry::{Lookup, ServiceEntry};
pub use serve::{init_tracing, serve, Server};
pub use service::{NamedService, Service};
pub use service_ref::{ServiceRef, Typed};

pub use feathers_macros::{after, around, before, error, method, service};

/// Re-exports for service code.
pub use serde_json::{json, Map, Value};

/// What service code usually needs: `use feathers_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::{
        after, around, before, error, method, service, App, Error, HookContext, Hooks, Id, Next,
        Page, Params, Result, Service, ServiceEvent,
    };
    pub use serde::{Deserialize, Serialize};
    pub use serde_json::{json, Value};
}
