//! Authentication on real-time connections: login, later calls, logout, expiry,
//! disconnect and handshake headers. Connections are driven as the Socket.io and
//! Primus transports drive them; the wire itself is covered by the interop tests.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use feathers_auth::{expiry_timers, AuthAppExt};
use feathers_runtime::prelude::*;
use feathers_runtime::realtime::{RealtimeTransport, TransportConnection};
use feathers_runtime::Method;
use feathers_test_support::assert_eventually;
use support::*;

fn local(email: &str, password: &str) -> Value {
    json!({ "strategy": "local", "email": email, "password": password })
}

#[tokio::test]
async fn a_login_on_a_connection_authenticates_its_later_calls() {
    let app = app();
    create_user(&app, "sam@example.com", "pw-sam").await;
    let connection = socket(&app, &[]);

    let refused = socket_call(
        &app,
        &connection,
        Method::Find,
        "messages",
        None,
        Value::Null,
    )
    .await;
    assert_eq!(refused.expect_err("this must fail").code(), 401);

    let result = socket_call(
        &app,
        &connection,
        Method::Create,
        "authentication",
        None,
        local("sam@example.com", "pw-sam"),
    )
    .await
    .expect("this must succeed");
    let token = token_of(&result);
    assert_eq!(
        connection.get("authentication"),
        Some(json!({ "strategy": "jwt", "accessToken": token }))
    );
    let user = connection.get("user").expect("the connection has a user");
    assert_eq!(user["email"], "sam@example.com");
    assert!(
        user.get("password").is_none(),
        "the hash stays on the server"
    );
    assert!(
        app.channel("authenticated").contains(&connection),
        "on_login ran"
    );

    let created = socket_call(
        &app,
        &connection,
        Method::Create,
        "messages",
        None,
        json!({ "text": "over a socket" }),
    )
    .await
    .expect("this must succeed");
    assert_eq!(created["userId"], user["id"]);
    assert_eq!(expiry_timers(&app), 1);
}

#[tokio::test]
async fn logout_removes_the_login_and_leaves_every_channel() {
    let app = app();
    create_user(&app, "lou@example.com", "pw-lou").await;
    let logouts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = logouts.clone();
    app.on_logout(move |_result, connection, _app| {
        assert!(connection.is_some());
        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    let connection = socket(&app, &[]);
    app.channel("lobby").join(&connection);
    socket_call(
        &app,
        &connection,
        Method::Create,
        "authentication",
        None,
        local("lou@example.com", "pw-lou"),
    )
    .await
    .expect("this must succeed");
    assert!(app.channel("authenticated").contains(&connection));

    let result = socket_call(
        &app,
        &connection,
        Method::Remove,
        "authentication",
        None,
        Value::Null,
    )
    .await
    .expect("this must succeed");
    assert_eq!(result["authentication"]["strategy"], "jwt");
    assert_eq!(connection.get("authentication"), None);
    assert_eq!(connection.get("user"), None);
    assert!(app.channel_names().is_empty(), "{:?}", app.channel_names());
    assert_eq!(expiry_timers(&app), 0, "the expiry timer is cancelled");
    assert_eq!(logouts.load(std::sync::atomic::Ordering::SeqCst), 1);

    let refused = socket_call(
        &app,
        &connection,
        Method::Find,
        "messages",
        None,
        Value::Null,
    )
    .await;
    assert_eq!(refused.expect_err("this must fail").code(), 401);
}

#[tokio::test]
async fn when_the_token_expires_the_connection_loses_its_login_and_channels() {
    let app = app_with(config().expires_in(Duration::from_secs(2))).0;
    create_user(&app, "exp@example.com", "pw-exp").await;
    let connection = socket(&app, &[]);
    socket_call(
        &app,
        &connection,
        Method::Create,
        "authentication",
        None,
        local("exp@example.com", "pw-exp"),
    )
    .await
    .expect("this must succeed");
    assert!(app.channel("authenticated").contains(&connection));
    assert_eq!(expiry_timers(&app), 1);

    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(4)).await;
    assert_eventually(Duration::from_secs(10), "the login expires", || {
        connection.get("user").is_none()
    })
    .await;
    assert_eq!(connection.get("authentication"), None);
    assert!(!app.channel("authenticated").contains(&connection));
    assert_eq!(expiry_timers(&app), 0);
}

#[tokio::test]
async fn a_new_login_replaces_the_timer_and_disconnect_cancels_it() {
    let app = app();
    create_user(&app, "dis@example.com", "pw-dis").await;
    let connection = socket(&app, &[]);
    let first = socket_call(
        &app,
        &connection,
        Method::Create,
        "authentication",
        None,
        local("dis@example.com", "pw-dis"),
    )
    .await
    .expect("this must succeed");
    // reAuthenticate: the jwt strategy with the stored token answers the same token.
    let again = socket_call(
        &app,
        &connection,
        Method::Create,
        "authentication",
        None,
        json!({ "strategy": "jwt", "accessToken": token_of(&first) }),
    )
    .await
    .expect("this must succeed");
    assert_eq!(again["accessToken"], first["accessToken"]);
    assert_eq!(expiry_timers(&app), 1);

    connection.close();
    app.disconnected(&connection);
    assert_eq!(expiry_timers(&app), 0);
}

#[tokio::test]
async fn reauthentication_on_a_new_connection_after_a_reconnect() {
    let app = app();
    create_user(&app, "re@example.com", "pw-re").await;
    let first = socket(&app, &[]);
    let result = socket_call(
        &app,
        &first,
        Method::Create,
        "authentication",
        None,
        local("re@example.com", "pw-re"),
    )
    .await
    .expect("this must succeed");
    first.close();
    app.disconnected(&first);

    let second = socket(&app, &[]);
    let again = socket_call(
        &app,
        &second,
        Method::Create,
        "authentication",
        None,
        json!({ "strategy": "jwt", "accessToken": token_of(&result) }),
    )
    .await
    .expect("this must succeed");
    assert_eq!(again["accessToken"], result["accessToken"]);
    assert!(
        socket_call(&app, &second, Method::Find, "messages", None, Value::Null)
            .await
            .is_ok()
    );
    assert!(app.channel("authenticated").contains(&second));
}

#[tokio::test]
async fn a_handshake_with_a_valid_token_logs_the_connection_in() {
    let app = app();
    create_user(&app, "hs@example.com", "pw-hs").await;
    let token = token_of(&login(&app, "hs@example.com", "pw-hs").await);
    let bearer = format!("Bearer {token}");
    let connection = socket(&app, &[("authorization", &bearer)]);
    // Calls made at once carry the token, and the hook verifies it.
    assert!(socket_call(
        &app,
        &connection,
        Method::Find,
        "messages",
        None,
        Value::Null
    )
    .await
    .is_ok());
    assert_eventually(
        Duration::from_secs(10),
        "the handshake login completes",
        || connection.get("user").is_some(),
    )
    .await;
    assert_eventually(Duration::from_secs(10), "on_login ran", || {
        app.channel("authenticated").contains(&connection)
    })
    .await;
    assert!(!connection.is_closed());
}

#[tokio::test]
async fn a_handshake_with_a_bad_token_closes_the_connection() {
    let app = app();
    let connection = socket(&app, &[("authorization", "Bearer garbage")]);
    assert_eventually(Duration::from_secs(10), "the connection is refused", || {
        connection.is_closed()
    })
    .await;
    assert_eq!(connection.get("authentication"), None);
}

#[tokio::test]
async fn a_handshake_without_our_scheme_stays_anonymous() {
    let app = app();
    let connection = socket(&app, &[("authorization", "Basic dXNlcjpwdw==")]);
    assert_eq!(connection.get("authentication"), None);
    assert!(!connection.is_closed());
}

/// The events waiting for `connection`.
fn events_sent(connection: &feathers_runtime::realtime::Connection) -> usize {
    let mut frames = Vec::new();
    connection.outbox().drain(&mut frames);
    frames.len()
}

#[tokio::test]
async fn a_removed_user_loses_the_login_of_every_connection() {
    let app = app();
    app.publish_service("messages", |_event, app| vec![app.channel("authenticated")]);
    let reasons = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let heard = reasons.clone();
    app.on_logout(move |result, _connection, _app| {
        if let Ok(mut reasons) = heard.lock() {
            reasons.push(result["reason"].clone());
        }
    });
    let sam = create_user(&app, "gone@example.com", "pw-gone").await;
    create_user(&app, "stays@example.com", "pw-stays").await;
    let phone = socket(&app, &[]);
    let laptop = socket(&app, &[]);
    let other = socket(&app, &[]);
    for (connection, email, password) in [
        (&phone, "gone@example.com", "pw-gone"),
        (&laptop, "gone@example.com", "pw-gone"),
        (&other, "stays@example.com", "pw-stays"),
    ] {
        socket_call(
            &app,
            connection,
            Method::Create,
            "authentication",
            None,
            local(email, password),
        )
        .await
        .expect("the login succeeds");
        assert!(app.channel("authenticated").contains(connection));
    }
    assert_eq!(expiry_timers(&app), 3);

    let id = Id::from_value(&sam["id"]).expect("an id").expect("an id");
    app.service("users")
        .expect("users")
        .remove(Some(id), Params::default())
        .await
        .expect("the user is removed");

    for connection in [&phone, &laptop] {
        assert_eventually(
            Duration::from_secs(10),
            "the removed user's login ends",
            || connection.get("user").is_none(),
        )
        .await;
        assert_eq!(connection.get("authentication"), None);
        assert!(!app.channel("authenticated").contains(connection));
    }
    assert!(app.channel("authenticated").contains(&other));
    assert_eq!(expiry_timers(&app), 1);
    assert_eq!(
        reasons.lock().expect("the reasons").as_slice(),
        [json!("removed"), json!("removed")]
    );

    for connection in [&phone, &laptop, &other] {
        events_sent(connection);
    }
    app.service("messages")
        .expect("messages")
        .create(json!({ "text": "for the logged in" }), Params::default())
        .await
        .expect("the message is created");
    let received = AtomicUsize::new(0);
    assert_eventually(
        Duration::from_secs(10),
        "the logged-in user gets the event",
        || {
            received.fetch_add(events_sent(&other), Ordering::SeqCst);
            received.load(Ordering::SeqCst) > 0
        },
    )
    .await;
    assert_eq!(events_sent(&phone), 0);
    assert_eq!(events_sent(&laptop), 0);
    let refused = socket_call(&app, &phone, Method::Find, "messages", None, Value::Null)
        .await
        .expect_err("no login any more");
    assert_eq!(refused.code(), 401);
}
