//! Channels and publishers without a transport: connections' outboxes show what each
//! would have been sent.

use serde_json::{json, Value};

use feathers_core::{
    App, Connection, Framing, HookContext, Method, Params, Provider, Result, Service,
};

use crate::transport::RealtimeTransport;
use crate::{Channel, RealtimeApp, RealtimeService};
use feathers_core::connection::TransportConnection;

/// Socket.io's framing, to read what a connection was sent.
static SOCKETIO: Framing = Framing::new(|name, payload| format!("42[{name},{payload}]"));

struct Echo;

impl Service for Echo {
    fn methods(&self) -> Vec<Method> {
        vec![Method::Create, Method::Patch]
    }

    fn events(&self) -> Vec<String> {
        vec!["typing".into()]
    }

    async fn call(&self, ctx: &mut HookContext) -> Result<Value> {
        Ok(ctx.data.clone())
    }
}

fn app() -> App {
    App::builder()
        .service_at("a", Echo)
        .service_at("b", Echo)
        .build()
        .unwrap_or_else(|err| panic!("app: {err}"))
}

fn connection() -> Connection {
    Connection::new(Provider::SocketIo, &http::HeaderMap::new(), 64)
}

/// The Socket.io frames waiting for `connection`.
fn sent(connection: &Connection) -> Vec<String> {
    let mut frames = Vec::new();
    connection.outbox().drain(&mut frames);
    frames
        .iter()
        .map(|frame| frame.text(&SOCKETIO).as_str().to_owned())
        .collect()
}

async fn create(app: &App, path: &str, data: Value) {
    app.service(path)
        .unwrap_or_else(|err| panic!("{err}"))
        .create(data, Params::default())
        .await
        .unwrap_or_else(|err| panic!("{err}"));
}

#[tokio::test]
async fn nothing_is_sent_without_a_publisher() {
    let app = app();
    let one = connection();
    app.channel("everybody").join(&one);
    create(&app, "a", json!({"n": 1})).await;
    assert!(sent(&one).is_empty());
    assert!(!app.has_publishers());
}

#[tokio::test]
async fn the_most_specific_publisher_wins() {
    let app = app();
    let (app_all, app_created, service_all, service_created) =
        (connection(), connection(), connection(), connection());
    app.channel("app-all").join(&app_all);
    app.channel("app-created").join(&app_created);
    app.channel("svc-all").join(&service_all);
    app.channel("svc-created").join(&service_created);
    app.publish(|_, app| vec![app.channel("app-all")]);
    app.publish_event("created", |_, app| vec![app.channel("app-created")]);
    let a = app.service("a").unwrap_or_else(|err| panic!("{err}"));
    a.publish(|_, app| vec![app.channel("svc-all")]);
    a.publish_event("created", |_, app| vec![app.channel("svc-created")])
        .unwrap_or_else(|err| panic!("{err}"));

    create(&app, "a", json!({"n": 1})).await;
    assert_eq!(sent(&service_created), [r#"42["a created",{"n":1}]"#]);
    assert!(
        sent(&service_all).is_empty() && sent(&app_created).is_empty() && sent(&app_all).is_empty()
    );

    a.patch(None, json!({"n": 2}), Params::default())
        .await
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(sent(&service_all), [r#"42["a patched",{"n":2}]"#]);

    create(&app, "b", json!({"n": 3})).await;
    assert_eq!(sent(&app_created), [r#"42["b created",{"n":3}]"#]);

    let b = app.service("b").unwrap_or_else(|err| panic!("{err}"));
    b.patch(None, json!({"n": 4}), Params::default())
        .await
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(sent(&app_all), [r#"42["b patched",{"n":4}]"#]);
}

#[tokio::test]
async fn a_connection_in_several_channels_gets_an_event_once_with_the_first_channels_data() {
    let app = app();
    let both = connection();
    let only_b = connection();
    app.channel("x").join(&both);
    app.channel("y").join(&both).join(&only_b);
    app.publish(|event, app| {
        vec![
            app.channel("x").send(json!({"summary": event.data["n"]})),
            app.channel("y"),
        ]
    });
    create(&app, "a", json!({"n": 7, "secret": true})).await;
    assert_eq!(sent(&both), [r#"42["a created",{"summary":7}]"#]);
    assert_eq!(sent(&only_b), [r#"42["a created",{"n":7,"secret":true}]"#]);
}

#[tokio::test]
async fn filter_and_combine_pick_connections() {
    let app = app();
    let admin = connection();
    admin.set("role", json!("admin"));
    let guest = connection();
    app.channel("room").join(&admin).join(&guest);
    let admins = app
        .channel("room")
        .filter(|c| c.get("role") == Some(json!("admin")));
    assert_eq!(admins.connections(), vec![admin.clone()]);
    let combined = app.channels(&["room", "empty"]);
    assert_eq!(combined.len(), 2);
    assert_eq!(
        Channel::combine([app.channel("room"), app.channel("room")]).len(),
        2
    );

    app.publish(|_, app| {
        vec![app
            .channel("room")
            .filter(|c| c.get("role") == Some(json!("admin")))]
    });
    app.service("a")
        .unwrap_or_else(|err| panic!("{err}"))
        .emit("typing", json!({"who": "ann"}))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(sent(&admin), [r#"42["a typing",{"who":"ann"}]"#]);
    assert!(sent(&guest).is_empty());
}

#[tokio::test]
async fn leaving_drops_empty_channels_and_disconnect_leaves_all() {
    let app = app();
    let one = connection();
    let two = connection();
    app.channel("a").join(&one).join(&two);
    app.channel("b").join(&one);
    app.channel("b").leave(&one);
    assert_eq!(app.channel_names(), ["a"]);
    app.channel("a").leave_where(|c| *c == two);
    assert_eq!(app.channel("a").connections(), vec![one.clone()]);
    app.disconnected(&one);
    assert!(app.channel_names().is_empty());
}

#[tokio::test]
async fn publishing_an_unknown_service_event_is_refused() {
    let app = app();
    let a = app.service("a").unwrap_or_else(|err| panic!("{err}"));
    assert!(a.publish_event("typing", |_, _| Vec::new()).is_ok());
    let err = a
        .publish_event("shouted", |_, _| Vec::new())
        .err()
        .map(|e| e.message().to_owned());
    assert_eq!(
        err.as_deref(),
        Some("'shouted' is not a valid service event")
    );
}

#[tokio::test]
async fn closed_connections_do_not_join() {
    let app = app();
    let gone = connection();
    gone.close();
    app.channel("a").join(&gone);
    assert!(app.channel("a").is_empty());
}

#[tokio::test]
async fn a_combined_channel_sends_the_first_channels_data() {
    let app = app();
    let one = connection();
    let two = connection();
    app.channel("x").join(&one);
    app.channel("y").join(&two);
    app.publish(|_, app| {
        vec![Channel::combine([
            app.channel("y"),
            app.channel("x").send(json!({"only": "this"})),
        ])]
    });
    create(&app, "a", json!({"secret": true})).await;
    assert_eq!(sent(&one), [r#"42["a created",{"only":"this"}]"#]);
    assert_eq!(sent(&two), [r#"42["a created",{"only":"this"}]"#]);
}
