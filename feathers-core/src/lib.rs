//! The core of feathers-rs: what a service call is and the path it takes.
//!
//! Ids, errors, params, the [`Service`] trait, the registry of services, hooks and the
//! pipeline that runs them, server-side events, real-time [`Connection`]s (identity,
//! fields and a bounded outbox, nothing of any transport) and the [`App`] that holds it
//! all. Transports, channels and adapters live in the crates above this one; users
//! depend on `feathers-runtime`, which re-exports what they need.
#![warn(missing_docs, unreachable_pub)]

pub mod adapter;
mod app;
mod builder;
mod call;
pub mod common_hooks;
pub mod connection;
mod context;
mod erased;
mod error;
mod events;
mod extensions;
mod hook_kind;
mod hooks;
mod http_context;
mod id;
mod json_kind;
mod knot;
mod method;
pub mod metrics;
mod multi;
mod page;
mod params;
mod pipeline;
mod provider;
mod register;
mod registry;
mod remote_event;
mod service;
mod service_path;
mod service_ref;
mod settings;
mod setup;

#[doc(hidden)]
pub mod __private;

pub use app::{App, WeakApp};
pub use builder::AppBuilder;
pub use call::PreparedCall;
pub use connection::{CloseReason, Connection, ConnectionId, EventFrame, Framing};
pub use context::{HookContext, HookKind, HttpContext};
pub use error::{Error, ErrorKind, Result};
pub use events::{EventOrigin, EventStream, ListenerId, ServiceEvent};
pub use hooks::{
    hook_fn, hook_with, AroundHook, Hook, HookFn, HookWithFn, Hooks, IntoAroundHook, IntoHook, Next,
};
pub use id::{FromId, Id};
pub use json_kind::json_kind;
pub use method::{Method, RESERVED_METHOD_NAMES};
pub use multi::Multi;
pub use page::Page;
pub use params::{PaginationOverride, Params};
pub use provider::Provider;
pub use registry::{Lookup, ServiceEntry};
pub use service::{NamedService, Service};
pub use service_ref::{ServiceRef, Typed};
pub use settings::Settings;
pub use setup::SetupResult;

/// The query model every adapter shares (the `feathers-query` crate).
pub use feathers_query as query;
