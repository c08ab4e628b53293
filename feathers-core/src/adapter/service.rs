//! `impl Service for` every [`Adapter`]: the one method match of every adapter, on the
//! call's id and data as they are (no copy of the data).

use serde_json::Value;

use super::calls;
use super::commons::{not_found, replace_many};
use super::records::Adapter;
use crate::context::HookContext;
use crate::error::{Error, Result};
use crate::method::Method;
use crate::service::Service;

impl<A: Adapter> Service for A {
    fn methods(&self) -> Vec<Method> {
        Method::STANDARD.to_vec()
    }

    fn events(&self) -> Vec<String> {
        self.adapter_options().events.clone()
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        let params = &ctx.params;
        match (ctx.method(), &ctx.id) {
            (Method::Find, _) => calls::find(self, params).await,
            (Method::Get, Some(id)) => calls::get(self, id, params).await,
            (Method::Get, None) => Err(not_found(None)),
            (Method::Create, _) => calls::create(self, &ctx.data, params).await,
            (Method::Update, Some(id)) => calls::update(self, id, &ctx.data, params).await,
            (Method::Update, None) => Err(replace_many()),
            (Method::Patch, id) => calls::patch(self, id.as_ref(), &ctx.data, params).await,
            (Method::Remove, id) => calls::remove(self, id.as_ref(), params).await,
            (Method::Custom(name), _) => Err(Error::method_not_allowed(format!(
                "Method '{name}' not allowed on service '{}'",
                ctx.path()
            ))),
        }
    }
}
