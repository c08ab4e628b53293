//! The one call pipeline: hooks in Feathers' order, the method, then events.
//! Transports and internal calls all come through [`run`].

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use tracing::Instrument;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::events::{EventEmitter, EventOrigin, ServiceEvent};
use crate::hook_kind::HookKind;
use crate::knot::{
    Chain, ErasedHook, ErasedService, HookContext, Next, Regular, ServiceEntry, Step,
};

impl Next {
    /// Runs the rest of the chain: the inner hooks and the method.
    pub async fn run(self, ctx: &mut HookContext) -> Result<()> {
        run_from(self.chain, self.index, self.service, ctx).await
    }
}

/// Runs one call through the service's chain and emits its events on success.
///
/// With `hand_over_params`, the events take the call's params and the context answers
/// with empty ones (for callers that only read the result).
pub(crate) async fn run(
    entry: &Arc<ServiceEntry>,
    mut ctx: Box<HookContext>,
    hand_over_params: bool,
) -> Result<Box<HookContext>> {
    let allowed = if ctx.params.is_external() {
        entry.exposes(&ctx.method)
    } else {
        entry.provides(&ctx.method)
    };
    if !allowed {
        return Err(Error::method_not_allowed(format!(
            "Method '{}' not allowed on service '{}'",
            ctx.method, entry.path
        )));
    }
    // Hidden from answers is closed to queries, for what a client sent; a record
    // with a schema opens its public fields only.
    if ctx.params.is_external() {
        match &entry.queryable {
            Some(allowed) => feathers_query::refuse_unlisted(&ctx.params.query, allowed)?,
            None if !entry.hidden.is_empty() => {
                feathers_query::refuse_hidden(&ctx.params.query, &entry.hidden)?;
            }
            None => {}
        }
    }
    // The data is checked against the method's schema before any hook sees it.
    if let Some(schema) = entry.schemas.data(ctx.method.as_str()) {
        if let Err(problems) = schema.check_records(&ctx.data) {
            return Err(Error::validation(problems));
        }
    }
    let span = tracing::debug_span!(
        "call",
        service = %entry.path,
        method = %ctx.method,
        provider = ctx.params.provider.as_ref().map(|p| p.as_str()).unwrap_or("internal"),
    );
    let outcome = async {
        match entry.chain(&ctx.method) {
            None => call_method(entry.service.as_ref(), &mut ctx).await,
            Some(chain) => run_from(chain, 0, entry.service.clone(), &mut ctx).await,
        }
    }
    .instrument(span)
    .await;
    match outcome {
        Ok(()) => {
            emit_call_events(&entry.emitter, &mut ctx, hand_over_params);
            Ok(ctx)
        }
        Err(err) => Err(err),
    }
}

/// Emits the call's event, once per item of an array result.
/// With `hand_over_params`, the events take the call's params rather than a copy
/// (the context is left with empty params).
fn emit_call_events(emitter: &EventEmitter, ctx: &mut HookContext, hand_over_params: bool) {
    if ctx.event.is_none() || ctx.result.is_none() || !emitter.has_receivers() {
        return;
    }
    let params = Arc::new(if hand_over_params {
        std::mem::take(&mut ctx.params)
    } else {
        ctx.params.clone()
    });
    let ctx = &*ctx;
    let (Some(event), Some(result)) = (&ctx.event, &ctx.result) else {
        return;
    };
    // What the events send: the client-safe result, less the fields for the caller alone.
    let omitted = (!ctx.event_omits.is_empty()).then(|| {
        let mut sent = ctx.client_result().clone();
        crate::common_hooks::omit_fields(&mut sent, &ctx.event_omits);
        sent
    });
    let dispatched = omitted.as_ref().or(ctx.dispatch.as_ref());
    let event_for = |data: &Value, dispatch: Option<Value>| ServiceEvent {
        path: emitter.path().clone(),
        event: event.to_string(),
        data: data.clone(),
        dispatch,
        method: Some(ctx.method.clone()),
        params: Some(params.clone()),
        id: ctx.id.clone(),
        origin: EventOrigin::Local,
    };
    match result {
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let dispatch = match dispatched {
                    Some(Value::Array(dispatched)) => dispatched.get(index).cloned(),
                    _ => None,
                };
                emitter.deliver(event_for(item, dispatch));
            }
        }
        item => emitter.deliver(event_for(item, dispatched.cloned())),
    }
}

/// Runs the chain from step `index` on.
pub(crate) async fn run_from(
    chain: Chain,
    index: usize,
    service: Arc<dyn ErasedService>,
    ctx: &mut HookContext,
) -> Result<()> {
    match chain.get(index) {
        None => call_method(service.as_ref(), ctx).await,
        Some(Step::Around(hook)) => {
            let hook = hook.clone();
            let next = Next {
                chain: chain.clone(),
                index: index + 1,
                service,
            };
            ctx.kind = HookKind::Around;
            guard(hook.run_boxed(ctx, next)).await
        }
        Some(Step::Regular(regular)) => {
            let outcome = run_regular(regular, &chain, index, service, ctx).await;
            match outcome {
                Ok(()) => Ok(()),
                Err(err) => run_error_hooks(&regular.error, err, ctx).await,
            }
        }
    }
}

async fn run_regular(
    regular: &Regular,
    chain: &Chain,
    index: usize,
    service: Arc<dyn ErasedService>,
    ctx: &mut HookContext,
) -> Result<()> {
    run_hooks(&regular.before, HookKind::Before, ctx).await?;
    Box::pin(run_from(chain.clone(), index + 1, service, ctx)).await?;
    run_hooks(&regular.after, HookKind::After, ctx).await?;
    ctx.kind = HookKind::Around;
    Ok(())
}

async fn run_hooks(
    hooks: &[Arc<dyn ErasedHook>],
    kind: HookKind,
    ctx: &mut HookContext,
) -> Result<()> {
    for hook in hooks {
        ctx.kind = kind;
        guard(hook.run_boxed(ctx)).await?;
    }
    Ok(())
}

/// Error hooks see the error in `ctx.error`; one may replace it, or set `ctx.result`
/// to recover with that result.
async fn run_error_hooks(
    hooks: &[Arc<dyn ErasedHook>],
    err: Error,
    ctx: &mut HookContext,
) -> Result<()> {
    if hooks.is_empty() {
        return Err(err);
    }
    ctx.error = Some(err);
    ctx.result = None;
    ctx.dispatch = None;
    ctx.event_omits.clear();
    for hook in hooks {
        ctx.kind = HookKind::Error;
        if let Err(replaced) = guard(hook.run_boxed(ctx)).await {
            ctx.error = Some(replaced);
        }
    }
    ctx.kind = HookKind::Around;
    if ctx.result.is_some() {
        ctx.error = None;
        return Ok(());
    }
    Err(ctx.error.take().unwrap_or_else(|| {
        Error::general("An error hook removed the error without setting a result")
    }))
}

/// Calls the method unless a before hook already set a result.
async fn call_method(service: &dyn ErasedService, ctx: &mut HookContext) -> Result<()> {
    if ctx.result.is_some() {
        return Ok(());
    }
    let result = guard(service.call_boxed(ctx)).await?;
    ctx.result = Some(result);
    Ok(())
}

/// Turns a panic inside user code into a 500 for this call alone. The panic's message
/// goes to the log (through the panic hook), never to the client.
async fn guard<T>(future: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(outcome) => outcome,
        Err(_) => {
            tracing::error!("a service method or hook panicked; the call answers 500");
            Err(Error::general("Internal server error"))
        }
    }
}
