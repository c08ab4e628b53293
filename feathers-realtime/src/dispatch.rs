//! A method call from a socket client (`emit(method, path, ...args, ack)`), with
//! Feathers' argument positions and errors (docs/protocol.md, "Socket calls"). Socket.io and Primus
//! decode their frames into this and send back what it answers.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::{Context, Poll, Waker};

use serde_json::{Map, Value};

use feathers_core::connection::TransportConnection;
use feathers_core::json_kind;
use feathers_core::App;
use feathers_core::Connection;
use feathers_core::Id;
use feathers_core::Method;
use feathers_core::{Error, Result};

/// How a transport frames an ack: ack id and outcome to its wire text.
pub type AckEncoder = fn(u64, &Result<Value>) -> String;

/// Runs a socket call: at once when it finishes without waiting, else in a task of its
/// own, so calls run side by side and acks may come back out of order, as with
/// Feathers. A connection has at most `max_calls_in_flight` calls running; further
/// ones are refused with 429 TooManyRequests.
pub fn spawn(
    app: &App,
    connection: &Connection,
    method: String,
    args: Vec<Value>,
    ack: Option<u64>,
    encode_ack: AckEncoder,
) {
    let realtime = crate::state::state(app);
    let limit = realtime.settings.max_calls_in_flight;
    if !connection.start_call(limit) {
        if let Some(id) = ack {
            let err = Error::too_many_requests(format!(
                "More than {limit} calls in flight on this connection"
            ));
            connection.send_text(encode_ack(id, &Err(err)));
        }
        return;
    }
    if !realtime.live.start_call() {
        connection.end_call();
        if let Some(id) = ack {
            let err = Error::unavailable("The server is shutting down");
            connection.send_text(encode_ack(id, &Err(err)));
        }
        return;
    }
    let app = app.clone();
    let connection = connection.clone();
    let mut running = Box::pin(async move {
        let outcome = call(&app, &connection, &method, args).await;
        connection.end_call();
        if let Some(id) = ack {
            connection.send_text(encode_ack(id, &outcome));
        }
        // After the ack is queued: the drain at shutdown closes connections once no
        // call is running, and the ack must go out before the close.
        realtime.live.end_call();
    });
    // Most calls (a memory get, a cached read) finish without waiting on anything: run
    // them here, on the connection's own task, and spare them a task of their own and
    // the wake-ups between tasks. A call that waits is handed to a task of its own,
    // which polls it again with a real waker (a future re-registers its waker on every
    // poll), so calls still run side by side.
    // The pipeline already turns a panic in user code into a 500; this guard keeps the
    // connection's task alive should anything else on the way panic.
    let mut first_poll = Context::from_waker(Waker::noop());
    match catch_unwind(AssertUnwindSafe(|| running.as_mut().poll(&mut first_poll))) {
        Ok(Poll::Ready(())) => {}
        Ok(Poll::Pending) => {
            tokio::spawn(running);
        }
        Err(_) => {
            tracing::error!("a socket call panicked outside the hook pipeline; it is dropped")
        }
    }
}

/// Runs `method_name` with the socket arguments `args` (path first) for `connection`,
/// and answers the client-safe result.
pub async fn call(
    app: &App,
    connection: &Connection,
    method_name: &str,
    mut args: Vec<Value>,
) -> Result<Value> {
    let path = match args.first() {
        Some(Value::String(path)) => path.as_str(),
        _ => return Err(Error::not_found("Invalid service path")),
    };
    let lookup = app
        .lookup(path)
        .ok_or_else(|| Error::not_found(format!("Service '{path}' not found")))?;
    let method = Method::from_name(method_name);
    if !lookup.entry().provides(&method) {
        return Err(Error::method_not_allowed(format!(
            "Method '{method_name}' not allowed on service '{path}'"
        )));
    }
    // The arguments after the path; values are taken out of them, not copied.
    let rest = &mut args[1..];
    let position = method.query_position();
    if rest.len() > position + 1 {
        return Err(Error::bad_request(format!(
            "Too many arguments for '{method_name}' method"
        )));
    }
    let query = match rest.get_mut(position).map(Value::take) {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(query)) => query,
        Some(other) => {
            return Err(Error::bad_request(format!(
                "Invalid query for '{method_name}': expected an object, found {}",
                json_kind(&other)
            )))
        }
    };
    let (id, data) = match method {
        Method::Find => (None, Value::Null),
        Method::Get | Method::Remove => (id_at(rest, 0)?, Value::Null),
        Method::Update | Method::Patch => (id_at(rest, 0)?, value_at(rest, 1)),
        Method::Create | Method::Custom(_) => (None, value_at(rest, 0)),
    };
    let params = connection.params(query);
    // The ack is the result alone, so the events may keep the params.
    let mut ctx = app
        .prepare_call(&lookup, method, id, data, params)
        .params_to_events()
        .run()
        .await?;
    Ok(ctx.take_client_result())
}

fn id_at(args: &[Value], index: usize) -> Result<Option<Id>> {
    match args.get(index) {
        None => Ok(None),
        Some(value) => Id::from_value(value),
    }
}

fn value_at(args: &mut [Value], index: usize) -> Value {
    args.get_mut(index).map(Value::take).unwrap_or(Value::Null)
}
