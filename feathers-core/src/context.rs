//! `HookContext`: one service call on its way through hooks, the method and events.

use std::borrow::Cow;

use http::HeaderMap;
use serde_json::Value;

use crate::app::App;
use crate::error::Error;
use crate::id::Id;
use crate::method::Method;
use crate::params::Params;

/// Which kind of hook is running (`context.type` in Feathers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HookKind {
    /// Around the rest of the chain.
    Around,
    /// Before the method.
    Before,
    /// After the method succeeded.
    After,
    /// After something failed.
    Error,
}

impl HookKind {
    /// The name Feathers uses: `around`, `before`, `after`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            HookKind::Around => "around",
            HookKind::Before => "before",
            HookKind::After => "after",
            HookKind::Error => "error",
        }
    }
}

/// HTTP details a hook may set for REST responses (`context.http`).
#[derive(Clone, Debug, Default)]
pub struct HttpContext {
    /// The response status; when unset, Feathers' rules choose (201 for create, 204
    /// for an empty body, 200 otherwise).
    pub status: Option<u16>,
    /// Headers added to the response.
    pub headers: HeaderMap,
    /// A `Location` header; makes the status 303 unless `status` is set.
    pub location: Option<String>,
}

/// One service call: what hooks read and change.
#[derive(Clone, Debug)]
pub struct HookContext {
    // Owned by the pipeline: hooks read them through `app()`, `path()`, `method()`
    // and `kind()`.
    pub(crate) app: App,
    pub(crate) path: std::sync::Arc<str>,
    pub(crate) method: Method,
    /// Set by the pipeline as it runs each kind of hook.
    pub(crate) kind: HookKind,
    /// The call's params: query, provider, route, headers, user.
    pub params: Params,
    /// The id argument (get, update, patch, remove); `None` for a null id.
    pub id: Option<Id>,
    /// The data argument (create, update, patch, custom methods); `Null` otherwise.
    pub data: Value,
    /// The result. Set in a before hook, the method is skipped; set in an error hook,
    /// the error is swallowed and this result returned.
    pub result: Option<Value>,
    /// The error, while error hooks run. An error hook may replace it.
    pub error: Option<Error>,
    /// The client-safe result: REST responses, socket acks and events send this when set.
    pub dispatch: Option<Value>,
    /// The event emitted after success; set it to `None` to suppress the event.
    pub event: Option<Cow<'static, str>>,
    /// REST response details.
    pub http: HttpContext,
}

impl HookContext {
    /// The application, to call other services from a hook.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The service's registered path, with its `:placeholders`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The service's registered path, shared.
    pub fn path_shared(&self) -> &std::sync::Arc<str> {
        &self.path
    }

    /// The method called.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The kind of hook running now.
    pub fn kind(&self) -> HookKind {
        self.kind
    }

    /// A fresh context for a call of `method` on the service at `path`.
    pub fn new(app: App, path: std::sync::Arc<str>, method: Method, params: Params) -> HookContext {
        let event = method.default_event().map(Cow::Borrowed);
        HookContext {
            app,
            path,
            method,
            kind: HookKind::Around,
            params,
            id: None,
            data: Value::Null,
            result: None,
            error: None,
            dispatch: None,
            event,
            http: HttpContext::default(),
        }
    }

    /// What a client receives: `dispatch` when set, otherwise `result` (null when none).
    pub fn client_result(&self) -> &Value {
        static NULL: Value = Value::Null;
        self.dispatch
            .as_ref()
            .or(self.result.as_ref())
            .unwrap_or(&NULL)
    }

    /// Takes the client-safe result out of the context.
    pub fn into_client_result(mut self) -> Value {
        self.take_client_result()
    }

    /// Takes the client-safe result out of the context, leaving `dispatch` and
    /// `result` empty.
    pub fn take_client_result(&mut self) -> Value {
        let dispatch = self.dispatch.take();
        let result = self.result.take();
        dispatch.or(result).unwrap_or(Value::Null)
    }
}
