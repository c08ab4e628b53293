//! `params`: what a call carries besides its id and data.

use std::sync::{Arc, OnceLock};

use http::HeaderMap;
use serde_json::{Map, Value};

use feathers_query::{Paginate, Query, QueryOptions, Typing};

use crate::connection::Connection;
use crate::error::Result;
use crate::provider::Provider;

/// The parameters of a service call, as Feathers' `params`.
///
/// Transports fill `provider`, `query`, `route` and `headers`; hooks may set `user`,
/// `authentication`, `authenticated`, `paginate`, typed values in `extensions` and
/// JSON fields in `extra`. A client sets only the query.
#[derive(Clone, Debug)]
pub struct Params {
    /// The query: from the URL query string over REST, the query argument over sockets.
    pub query: Map<String, Value>,
    /// True when `query` came from a URL query string, where every scalar is a string.
    /// Adapters then compare a string with a stored number or boolean by converting it.
    pub query_from_url: bool,
    /// The transport, `None` for internal calls.
    pub provider: Option<Provider>,
    /// Values of the `:placeholders` in the service path.
    pub route: Map<String, Value>,
    /// Request headers (REST) or handshake headers (sockets). Shared, so that cloning
    /// params is cheap; change them with `Arc::make_mut(&mut params.headers)`.
    pub headers: Arc<HeaderMap>,
    /// The authenticated user, when a hook set one.
    pub user: Option<Value>,
    /// Authentication information, when a hook or transport set it.
    pub authentication: Option<Value>,
    /// True once an authentication hook accepted the call (Feathers'
    /// `params.authenticated`).
    pub authenticated: bool,
    /// The pagination a hook chose for this call, over the service's own (Feathers'
    /// server-side `params.paginate`); `None` keeps the service's.
    pub paginate: Option<PaginationOverride>,
    /// Typed values hooks hand to later hooks and to the method:
    /// `ctx.params.extensions.insert(Tenant(7))`, then
    /// `ctx.params.extensions.get::<Tenant>()`.
    pub extensions: http::Extensions,
    /// Any other JSON fields hooks and transports add, as Feathers' params carry them.
    pub extra: Map<String, Value>,
    /// The real-time connection the call came over, if any.
    pub connection: Option<Connection>,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            query: Map::new(),
            query_from_url: false,
            provider: None,
            route: Map::new(),
            headers: no_headers(),
            user: None,
            authentication: None,
            authenticated: false,
            paginate: None,
            extensions: http::Extensions::new(),
            extra: Map::new(),
            connection: None,
        }
    }
}

/// A hook's choice of pagination for one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaginationOverride {
    /// No pagination: the whole result, as an array (Feathers' `paginate: false`).
    Off,
    /// These page sizes instead of the service's.
    With(feathers_query::Paginate),
}

/// One shared empty header map, so that params without headers (internal calls) cost
/// no allocation.
fn no_headers() -> Arc<HeaderMap> {
    static EMPTY: OnceLock<Arc<HeaderMap>> = OnceLock::new();
    EMPTY.get_or_init(|| Arc::new(HeaderMap::new())).clone()
}

impl Params {
    /// Params with this query, as for an internal call.
    pub fn with_query(query: Map<String, Value>) -> Params {
        Params {
            query,
            ..Params::default()
        }
    }

    /// Params from a JSON object query; anything else gives an empty query.
    pub fn from_query_value(query: Value) -> Params {
        match query {
            Value::Object(map) => Params::with_query(map),
            _ => Params::default(),
        }
    }

    /// True for calls that came through a transport.
    pub fn is_external(&self) -> bool {
        self.provider.is_some()
    }

    /// How the query's values compare with stored ones: [`Typing::QueryString`] when
    /// the query came from a URL query string, where every value is a string.
    pub fn typing(&self) -> Typing {
        Typing::from_url(self.query_from_url)
    }

    /// The query's sanitised form ([`Query`]), with `paginate` bounding its `$limit`.
    /// A malformed query or an unknown operator is a 400 BadRequest.
    pub fn parse_query(&self, paginate: Option<Paginate>) -> Result<Query> {
        Ok(Query::parse(
            &self.query,
            &QueryOptions::new(self.typing(), paginate),
        )?)
    }

    /// A route placeholder's value.
    pub fn route_param(&self, name: &str) -> Option<&str> {
        self.route.get(name).and_then(Value::as_str)
    }
}

// Here rather than with `Connection`, which knows nothing of params.
impl Connection {
    /// The params of a call made over this connection: provider, headers, the
    /// connection's fields (`user`, `authentication` and `authenticated` in their own
    /// fields, others in `extra`), and the connection itself.
    pub fn params(&self, query: Map<String, Value>) -> Params {
        let mut params = Params {
            query,
            provider: Some(self.provider().clone()),
            headers: self.shared_headers().clone(),
            connection: Some(self.clone()),
            ..Params::default()
        };
        let fields = self.read();
        if fields.is_empty() {
            return params;
        }
        for (key, value) in fields.iter() {
            match key.as_str() {
                "user" => params.user = Some(value.clone()),
                "authentication" => params.authentication = Some(value.clone()),
                "authenticated" => params.authenticated = value == &Value::Bool(true),
                _ => {
                    params.extra.insert(key.clone(), value.clone());
                }
            }
        }
        params
    }
}
