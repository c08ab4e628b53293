//! `HookContext`: one service call on its way through hooks, the method and events.
//! The type is defined with the app's other mutually recursive types (the `knot`
//! module); its behaviour is here.

use std::borrow::Cow;

use serde_json::Value;

pub use crate::hook_kind::HookKind;
pub use crate::http_context::HttpContext;
use crate::knot::App;
pub use crate::knot::HookContext;
use crate::method::Method;
use crate::params::Params;

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
            event_omits: Vec::new(),
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
