//! Feathers-style real-time APIs for Rust.
//!
//! Put `#[service("messages")]` on an impl block and get a REST resource, Socket.io
//! and Primus method calls, and `created`/`updated`/`patched`/`removed` events;
//! `feathers_runtime::serve()` starts every service of the binary. See the README for
//! a guide.
//!
//! This crate is the facade users depend on. The behaviour lives in the crates below
//! it, each depending only on those under it:
//!
//! - `feathers-transports`: REST, Socket.io and Primus on axum;
//! - `feathers-realtime`: channels, publishers, event delivery, socket calls;
//! - `feathers-memory`: the memory adapter;
//! - `feathers-sql`: the SQL adapter, SQLite and PostgreSQL (the `sql` feature);
//! - `feathers-auth`: JWT and local authentication (the `auth` feature);
//! - `feathers-sync`: events shared between instances through Redis (the `sync` feature);
//! - `feathers-core`: ids, errors, params, services, hooks, the pipeline, events,
//!   connections, the `App`;
//! - `feathers-query`: Feathers' query syntax, shared by every adapter;
//! - `feathers-rules`: the path and method-name rules the macros share with the core.
#![warn(missing_docs, unreachable_pub)]

pub mod http;
mod serve;

pub use feathers_core::{
    hook_fn, hook_with, register_service, App, AppBuilder, AroundHook, CloseReason, Connection,
    ConnectionId, Error, ErrorKind, EventOrigin, EventStream, FromId, Hook, HookContext, HookFn,
    HookKind, HookWithFn, Hooks, HttpContext, Id, IntoAroundHook, IntoHook, ListenerId, Lookup,
    Method, NamedService, Next, Page, Params, Provider, Result, Service, ServiceEntry,
    ServiceEvent, ServiceRef, Typed, WeakApp, RESERVED_METHOD_NAMES,
};
pub use feathers_memory::MemoryService;
pub use feathers_realtime::{
    Channel, DrainReport, Publisher, RealtimeApp, RealtimeService, RealtimeStats,
};
pub use http::HttpLimits;

/// The settings of each part of a server, set with [`AppBuilder::configure`] and read
/// with [`App::settings`]; each lives in the crate it sets.
pub mod settings {
    pub use crate::http::HttpLimits;
    pub use feathers_core::Settings;
    pub use feathers_realtime::RealtimeSettings;
    pub use feathers_transports::{
        PrimusSettings, RestBuilderExt, RestSettings, SocketIoSettings, WebBuilderExt, WebSettings,
    };
}
pub use serve::{init_tracing, serve, serve_app, Serve, Server};
pub use settings::{PrimusSettings, RealtimeSettings, RestSettings, SocketIoSettings, WebSettings};

/// Checks an app's web settings ([`WebSettings::cors_origins`]): `serve_at` and `listen`
/// refuse to start with an origin that is not valid.
pub use feathers_transports::check_config as check_web_config;

pub use feathers_macros::{
    after, app_hooks, around, before, error, method, resolve, service, setup,
};

/// Re-exports for service code.
pub use serde_json::{json, Map, Value};

/// Hooks most apps need: `protect`, `disallow`, `owned_by`, `require_fields`, `validate`.
pub use feathers_core::common_hooks;

/// Feathers' query syntax (the `feathers-query` crate).
pub use feathers_query as query;

/// The adapter abstraction every adapter implements: [`Adapter`](adapter::Adapter) for
/// a database of one's own, [`DynAdapter`](adapter::DynAdapter) to pick one at run time.
pub use feathers_core::adapter;

/// The memory adapter (the `feathers-memory` crate).
pub use feathers_memory as memory;

/// The SQL adapter (the `feathers-sql` crate; the `sql` feature).
#[cfg(feature = "sql")]
pub use feathers_sql as sql;

/// Authentication: JWT and local logins (the `feathers-auth` crate; the `auth` feature).
#[cfg(feature = "auth")]
pub use feathers_auth as auth;

/// Events shared between instances through Redis (the `feathers-sync` crate; the `sync`
/// feature).
#[cfg(feature = "sync")]
pub use feathers_sync as sync;

/// Connections, channels and publishers. `TransportConnection` and
/// `RealtimeTransport` are for transports of your own (and tests that stand in for
/// one); an app does not need them.
pub mod realtime {
    pub use feathers_core::connection::*;
    pub use feathers_realtime::channels::{Channel, Publisher};
    pub use feathers_realtime::transport::RealtimeTransport;
    pub use feathers_realtime::{dispatch, RealtimeApp, RealtimeService};
}

/// The README's and the guides' Rust examples, compiled (and run where they can run)
/// by `cargo test --doc --features sql,auth,sync`, so they keep telling the truth.
#[cfg(doctest)]
mod doc_examples {
    #[cfg(all(feature = "sql", feature = "auth", feature = "sync"))]
    #[doc = include_str!("../../README.md")]
    struct Readme;

    #[cfg(feature = "auth")]
    #[doc = include_str!("../../docs/authentication.md")]
    struct Authentication;

    #[doc = include_str!("../../docs/reliability.md")]
    struct Reliability;

    #[cfg(feature = "sync")]
    #[doc = include_str!("../../docs/sync.md")]
    struct Sync;
}

#[doc(hidden)]
pub use feathers_core::__private;

/// Schemas from Rust types: derive [`JsonSchema`](schema::JsonSchema) on a method's
/// data type and its data is checked on every call, with Feathers 5's errors; see
/// the crate's documentation for the rules an attribute can state.
pub use feathers_schema as schema;
/// The crate `#[derive(JsonSchema)]` expands to; the prelude names it, so that an app
/// needs no dependency of its own.
#[doc(hidden)]
pub use feathers_schema::schemars;

#[doc(hidden)]
pub mod __fuzz;

/// What an operator can watch: the series names, and the real-time gauges.
pub mod metrics {
    pub use feathers_core::metrics::*;
    pub use feathers_realtime::metrics::record_realtime_gauges;
}

/// What service code usually needs: `use feathers_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::common_hooks::{
        created_at, disallow, owned_by, owner_only, populate, protect, require_fields, resolve,
        server_field, updated_at, validate,
    };
    pub use crate::settings::{RestBuilderExt, WebBuilderExt};
    pub use crate::{
        after, app_hooks, around, before, error, hook_with, method, resolve, service, setup, App,
        Error, HookContext, HookKind, Hooks, Id, MemoryService, Next, Page, Params, RealtimeApp,
        RealtimeService, Result, Serve, Service, ServiceEvent, ServiceRef,
    };
    pub use feathers_core::adapter::{AdapterBuilder, AdapterExt, DynAdapter};
    pub use feathers_schema::schemars;
    pub use feathers_schema::{JsonSchema, Partial};
    pub use serde::{Deserialize, Serialize};
    pub use serde_json::{json, Value};
}
