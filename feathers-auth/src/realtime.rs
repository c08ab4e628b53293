//! Authentication on real-time connections: a login sets the connection's
//! `authentication` and `user`, so that later calls on it carry them; a logout, and
//! the token's expiry, remove them and take the connection out of every channel.
//! A handshake with an `Authorization` header logs the connection in at once. When a
//! user is removed from the users service (a `removed` event, here or, with sync, on
//! another instance), every connection logged in as that user is treated as its
//! token's expiry treats it.
//!
//! A connection's login is verified once: its calls reuse the login's outcome (the
//! user, the token's claims) until the token expires or the user is patched or
//! updated, after which the next call verifies the token and reads the user again.

use std::sync::Arc;
use std::time::Duration;

use feathers_core::Connection;
use feathers_core::{App, Id, Method, Params, ServiceEvent};
use feathers_realtime::{RealtimeApp, RealtimeService};
use serde_json::{json, Value};

use crate::header::authentication_from_headers;
use crate::jwt::now_seconds;
use crate::state::{run_handlers, AuthState, ExpiryTimer, Verified};

/// Registered at build time: keeps the authentication service's events from clients,
/// logs in handshakes that carry a token, and cancels timers of closed connections.
pub(crate) fn setup(app: &App) {
    let Ok(state) = AuthState::of(app) else {
        return;
    };
    match app.service(&state.config.path) {
        // As in Feathers, the authentication service's events (they hold tokens) go
        // to no client.
        Ok(service) => service.publish(|_event, _app| Vec::new()),
        Err(err) => tracing::error!("the authentication service is missing: {err}"),
    }
    match app.service(&state.config.service) {
        Ok(users) => {
            let weak = app.downgrade();
            users.on("removed", move |event| {
                if let Some(app) = weak.upgrade() {
                    user_removed(&app, event);
                }
            });
            for change in ["patched", "updated"] {
                let weak = app.downgrade();
                users.on(change, move |event| {
                    if let Some(app) = weak.upgrade() {
                        user_changed(&app, event);
                    }
                });
            }
        }
        Err(_) => tracing::warn!(
            "no users service at '{}': removed users cannot be logged out of their connections",
            state.config.service
        ),
    }
    app.on_connection(|connection, app| handshake(app, connection));
    app.on_disconnect(|connection, app| {
        if let Ok(state) = AuthState::of(app) {
            cancel_timer(&state, connection);
        }
    });
}

/// A handshake with a token in its `Authorization` header: the connection carries the
/// token at once (each call's `authenticate` hook verifies it), and a full login runs
/// in the background. When that login fails, the connection is closed, as Feathers
/// refuses the connection.
fn handshake(app: &App, connection: &Connection) {
    let Some(authentication) = authentication_from_headers(connection.headers()) else {
        return;
    };
    let Ok(state) = AuthState::of(app) else {
        return;
    };
    connection.set("authentication", authentication.clone());
    let app = app.clone();
    let connection = connection.clone();
    tokio::spawn(async move {
        let login = async {
            let service = app.service(&state.config.path)?;
            let params: Params = connection.params(Default::default());
            service
                .call(Method::Create, None, authentication, params)
                .await
        };
        if let Err(err) = login.await {
            tracing::debug!(connection = %connection.id(), "handshake authentication failed: {err}");
            connection.remove("authentication");
            connection.remove("user");
            connection.close();
        }
    });
}

/// After a login on `connection`: it carries the token and the user from now on,
/// until logout or the token's expiry.
pub(crate) fn login(state: &Arc<AuthState>, app: &App, connection: &Connection, result: &Value) {
    let Some(token) = result.get("accessToken").and_then(Value::as_str) else {
        return;
    };
    connection.set(
        "authentication",
        json!({ "strategy": "jwt", "accessToken": token }),
    );
    match result.get(&state.config.entity) {
        Some(user) => connection.set(&state.config.entity, user.clone()),
        None => {
            connection.remove(&state.config.entity);
        }
    }
    let expires = result
        .pointer("/authentication/payload/exp")
        .and_then(Value::as_u64);
    let entity_id = result
        .get(&state.config.entity)
        .and_then(|user| crate::strategy::entity_id(state, user).ok());
    // Later calls present the token with the jwt strategy, whatever the login's was.
    let verified = result
        .pointer("/authentication/payload")
        .map(|payload| Verified {
            user: result.get(&state.config.entity).cloned(),
            authentication: json!({ "strategy": "jwt", "accessToken": token, "payload": payload }),
        });
    if let Some(expires) = expires {
        start_timer(state, app, connection, token, entity_id, verified, expires);
    }
}

/// What the connection's login verified, when `token` is still its token and the
/// user has not changed since: a call on the connection needs no verification and no
/// read of the user. Otherwise the count of the user's changes, to hand to
/// [`reverified`].
pub(crate) fn verified(
    state: &AuthState,
    connection: &Connection,
    token: &str,
) -> Result<Verified, u64> {
    let timers = state.timers();
    let Some(timer) = timers
        .get(&connection.id())
        .filter(|timer| timer.token == token)
    else {
        return Err(0);
    };
    let unexpired = |verified: &&Verified| {
        verified
            .authentication
            .pointer("/payload/exp")
            .and_then(Value::as_u64)
            .is_some_and(|expires| expires > now_seconds())
    };
    match timer.verified.as_ref().filter(unexpired) {
        Some(verified) => Ok(verified.clone()),
        None => Err(timer.changes),
    }
}

/// A call on the connection verified `token` afresh (its user had changed): later
/// calls reuse this, and the connection carries the user as it is now; unless the
/// user changed again while it verified (`changes` is what [`verified`] answered).
pub(crate) fn reverified(
    state: &AuthState,
    connection: &Connection,
    token: &str,
    changes: u64,
    verified: Verified,
) {
    let mut timers = state.timers();
    if let Some(timer) = timers.get_mut(&connection.id()) {
        if timer.token == token && timer.changes == changes {
            if let Some(user) = &verified.user {
                connection.set(&state.config.entity, user.clone());
            }
            timer.verified = Some(verified);
        }
    }
}

/// After a logout on `connection`: it forgets its authentication and user, and leaves
/// every channel.
pub(crate) fn logout(state: &AuthState, app: &App, connection: &Connection) {
    cancel_timer(state, connection);
    forget(state, app, connection);
}

fn forget(state: &AuthState, app: &App, connection: &Connection) {
    connection.remove("authentication");
    connection.remove(&state.config.entity);
    for name in app.channel_names() {
        app.channel(&name).leave(connection);
    }
}

/// Schedules the end of the connection's authentication at `expires` (seconds since
/// the epoch): one sleeping task per authenticated connection, replaced by a new
/// login, cancelled by logout and disconnect.
fn start_timer(
    state: &Arc<AuthState>,
    app: &App,
    connection: &Connection,
    token: &str,
    entity_id: Option<Id>,
    verified: Option<Verified>,
    expires: u64,
) {
    let wait = Duration::from_secs(expires.saturating_sub(now_seconds()));
    let task_app = app.clone();
    let task_state = state.clone();
    let task_connection = connection.clone();
    let task_token = token.to_owned();
    let task = tokio::spawn(async move {
        tokio::time::sleep(wait).await;
        expire(&task_state, &task_app, &task_connection, &task_token);
    });
    let previous = state.timers().insert(
        connection.id(),
        ExpiryTimer {
            connection: connection.clone(),
            token: token.to_owned(),
            entity_id,
            verified,
            changes: 0,
            task: task.abort_handle(),
        },
    );
    if let Some(previous) = previous {
        previous.task.abort();
    }
    // A connection that closed while it logged in has already had its timer
    // cancelled; do not leave this one behind.
    if connection.is_closed() {
        cancel_timer(state, connection);
    }
}

/// The token has expired: the connection loses its authentication, if it still holds
/// that token, and leaves its channels.
fn expire(state: &AuthState, app: &App, connection: &Connection, token: &str) {
    {
        let mut timers = state.timers();
        if timers
            .get(&connection.id())
            .is_some_and(|timer| timer.token == token)
        {
            timers.remove(&connection.id());
        }
    }
    let current = connection.get("authentication").and_then(|auth| {
        auth.get("accessToken")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    if current.as_deref() != Some(token) {
        return;
    }
    tracing::debug!(connection = %connection.id(), "access token expired");
    end_authentication(state, app, connection, token, "expired");
}

/// The connection loses its authentication and leaves its channels; the logout
/// handlers hear of it with the `reason`.
fn end_authentication(
    state: &AuthState,
    app: &App,
    connection: &Connection,
    token: &str,
    reason: &str,
) {
    let result = json!({ "strategy": "jwt", "accessToken": token, "reason": reason });
    forget(state, app, connection);
    let handlers = state.logout_handlers();
    run_handlers(&handlers, "logout", &result, Some(connection), app);
}

/// A user was removed: each connection logged in as them ends its authentication
/// (the logout handlers see `"reason": "removed"`).
fn user_removed(app: &App, event: &ServiceEvent) {
    let Ok(state) = AuthState::of(app) else {
        return;
    };
    let Ok(removed) = crate::strategy::entity_id(&state, &event.data) else {
        return;
    };
    let ended: Vec<(Connection, String)> = {
        let mut timers = state.timers();
        let ids: Vec<_> = timers
            .iter()
            .filter(|(_, timer)| {
                timer
                    .entity_id
                    .as_ref()
                    .is_some_and(|id| id.same_record(&removed))
            })
            .map(|(id, _)| *id)
            .collect();
        ids.iter()
            .filter_map(|id| timers.remove(id))
            .map(|timer| {
                timer.task.abort();
                (timer.connection, timer.token)
            })
            .collect()
    };
    for (connection, token) in ended {
        tracing::debug!(connection = %connection.id(), user = %removed, "user removed: logging the connection out");
        end_authentication(&state, app, &connection, &token, "removed");
    }
}

/// A user was changed: the connections logged in as them verify their token again on
/// their next call, which reads the user as it is now.
fn user_changed(app: &App, event: &ServiceEvent) {
    let Ok(state) = AuthState::of(app) else {
        return;
    };
    let Ok(changed) = crate::strategy::entity_id(&state, &event.data) else {
        return;
    };
    for timer in state.timers().values_mut() {
        if timer
            .entity_id
            .as_ref()
            .is_some_and(|id| id.same_record(&changed))
        {
            timer.verified = None;
            timer.changes += 1;
        }
    }
}

fn cancel_timer(state: &AuthState, connection: &Connection) {
    if let Some(timer) = state.timers().remove(&connection.id()) {
        timer.task.abort();
    }
}

/// The number of connections with a running expiry timer (for tests and metrics).
pub(crate) fn timer_count(state: &AuthState) -> usize {
    state.timers().len()
}
