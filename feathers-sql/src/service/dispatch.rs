//! [`Service`] for [`SqlService`]: a call's method, id and data to the method that
//! answers it.

use feathers_core::adapter::{not_found, replace_many};
use feathers_core::{Error, HookContext, Method, Result, Service};
use serde_json::Value;

use super::state::SqlService;

impl Service for SqlService {
    fn methods(&self) -> Vec<Method> {
        Method::STANDARD.to_vec()
    }

    fn events(&self) -> Vec<String> {
        self.inner.options.events.clone()
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        let params = &ctx.params;
        match (ctx.method(), &ctx.id) {
            (Method::Find, _) => self.find(params).await,
            (Method::Get, Some(id)) => self.get(id.clone(), params).await,
            (Method::Get, None) => Err(not_found(None)),
            (Method::Create, _) => self.create(ctx.data.clone(), params).await,
            (Method::Update, Some(id)) => self.update(id.clone(), ctx.data.clone(), params).await,
            (Method::Update, None) => Err(replace_many()),
            (Method::Patch, id) => self.patch(id.clone(), ctx.data.clone(), params).await,
            (Method::Remove, id) => self.remove(id.clone(), params).await,
            (Method::Custom(name), _) => Err(Error::method_not_allowed(format!(
                "Method '{name}' not allowed on service '{}'",
                ctx.path()
            ))),
        }
    }
}
