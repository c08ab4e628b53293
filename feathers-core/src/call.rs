//! Calling a found service: [`App::call`] and [`App::prepare_call`], the path every
//! transport and internal call takes into the pipeline, timed for the metrics.

use std::future::Future;
use std::sync::Arc;

use serde_json::Value;

use crate::error::Result;
use crate::id::Id;
use crate::knot::{App, HookContext, ServiceEntry};
use crate::method::Method;
use crate::metrics::CallTimer;
use crate::params::Params;
use crate::pipeline;
use crate::registry::Lookup;

impl App {
    /// Calls `method` on a found service through hooks and events: the path every
    /// transport and internal call takes.
    pub fn call(
        &self,
        lookup: &Lookup,
        method: Method,
        id: Option<Id>,
        data: Value,
        params: Params,
    ) -> impl Future<Output = Result<HookContext>> + Send + 'static {
        let running = self.prepare_call(lookup, method, id, data, params).run();
        async move { running.await.map(|ctx| *ctx) }
    }

    /// The context of a call, on the heap, ready to [run](PreparedCall::run): what
    /// transports use. A transport can prepare a call before it has read the data
    /// (set it with [`PreparedCall::context_mut`]), and its futures then hold a
    /// pointer to the context rather than the context itself, which keeps them small
    /// (the runtime moves and boxes them).
    pub fn prepare_call(
        &self,
        lookup: &Lookup,
        method: Method,
        id: Option<Id>,
        data: Value,
        mut params: Params,
    ) -> PreparedCall {
        if !lookup.route.is_empty() {
            for (key, value) in &lookup.route {
                params.route.insert(key.clone(), value.clone());
            }
        }
        let mut ctx = Box::new(HookContext::new(
            self.clone(),
            lookup.entry.path.clone(),
            method,
            params,
        ));
        ctx.id = id;
        ctx.data = data;
        PreparedCall {
            entry: lookup.entry.clone(),
            ctx,
            params_to_events: false,
        }
    }
}

/// A call ready to run through its service's hooks: see [`App::prepare_call`].
#[derive(Debug)]
pub struct PreparedCall {
    entry: Arc<ServiceEntry>,
    ctx: Box<HookContext>,
    params_to_events: bool,
}

impl PreparedCall {
    /// The call's context, to set what was not known when it was prepared (the data of
    /// a request whose body is read afterwards).
    pub fn context_mut(&mut self) -> &mut HookContext {
        &mut self.ctx
    }

    /// The call's events take its params instead of a copy of them, and the context
    /// it answers has empty params: for a transport, which answers from the result.
    pub fn params_to_events(mut self) -> PreparedCall {
        self.params_to_events = true;
        self
    }

    /// Runs the call: hooks, the method, then its events on success. Answers the
    /// context, still on the heap.
    pub fn run(self) -> impl Future<Output = Result<Box<HookContext>>> + Send + 'static {
        let PreparedCall {
            entry,
            ctx,
            params_to_events,
        } = self;
        let timer = CallTimer::start(&ctx.method, ctx.params.provider.as_ref());
        async move {
            let outcome = pipeline::run(&entry, ctx, params_to_events).await;
            timer.finish(&entry.call_keys, &entry.path, outcome.as_ref().map(|_| ()));
            outcome
        }
    }
}
