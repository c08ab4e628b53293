//! Feathers-style real-time APIs for Rust.
//!
//! Put `#[service("messages")]` on an impl block and get a REST resource and
//! `created`/`updated`/`patched`/`removed` events; `feathers_runtime::serve()` starts
//! every service of the binary. See the README for a guide.

mod app;
mod builder;
pub mod common_hooks;
mod context;
mod error;
mod events;
mod extensions;
mod hooks;
mod id;
mod json_kind;
pub mod memory;
mod method;
mod page;
mod params;
mod pipeline;
pub mod query;
pub mod realtime;
mod registry;
mod serve;
mod service;
mod service_ref;
mod sync;
pub mod transport;

#[doc(hidden)]
pub mod __private;

pub use app::{App, Config};
pub use builder::AppBuilder;
pub use context::{HookContext, HookKind, HttpContext};
pub use error::{Error, ErrorKind, Result};
pub use events::{EventOrigin, EventStream, ListenerId, ServiceEvent};
pub use hooks::{hook_fn, AroundHook, Hook, Hooks, IntoAroundHook, IntoHook, Next};
pub use id::{FromId, Id};
pub use memory::MemoryService;
pub use method::{Method, RESERVED_METHOD_NAMES};
pub use page::Page;
pub use params::{Params, Provider};
pub use registry::{Lookup, ServiceEntry};
pub use serve::{init_tracing, serve, Server};
pub use service::{NamedService, Service};
pub use service_ref::{ServiceRef, Typed};

pub use feathers_macros::{after, app_hooks, around, before, error, method, service, setup};

/// Re-exports for service code.
pub use serde_json::{json, Map, Value};

/// What service code usually needs: `use feathers_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::common_hooks::{disallow, protect, require_fields, validate};
    pub use crate::{
        after, app_hooks, around, before, error, method, service, setup, App, Error, HookContext,
        Hooks, Id, MemoryService, Next, Page, Params, Result, Service, ServiceEvent,
    };
    pub use serde::{Deserialize, Serialize};
    pub use serde_json::{json, Value};
}
