//! How often an authenticated call reads its user: once per call, whatever the
//! transport, while the user still reaches the call in the shape the users service
//! gives clients.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};

use feathers_auth::{authenticate, hash_password, AuthBuilderExt};
use feathers_runtime::prelude::*;
use support::{config, login, rest, socket, socket_call, token_of};

/// Reads of the users store, by `get`.
static READS: AtomicUsize = AtomicUsize::new(0);

#[derive(Default)]
struct Users {
    store: MemoryService,
}

#[service("users", register = false, delegate = store)]
#[before(on = ["create"], hash_password("password"))]
#[after(protect("password"))]
impl Users {
    async fn get(&self, id: Id, params: &Params) -> Result<Value> {
        READS.fetch_add(1, Ordering::SeqCst);
        self.store.get(id, params).await
    }
}

#[derive(Default)]
struct Whoami;

#[service("whoami", register = false)]
#[before(authenticate("jwt"))]
impl Whoami {
    async fn find(&self, params: &Params) -> Result<Value> {
        Ok(params.user.clone().unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn an_authenticated_call_reads_its_user_once() {
    let app = App::builder()
        .service(Users::default())
        .service(Whoami)
        .authentication(config())
        .expect("authentication")
        .build()
        .expect("the app builds");
    support::create_user(&app, "ada@example.com", "a long secret").await;
    let token = token_of(&login(&app, "ada@example.com", "a long secret").await);
    let bearer = format!("Bearer {token}");

    READS.store(0, Ordering::SeqCst);
    let (status, me) = rest(&app, "GET", "/whoami", &[("authorization", &bearer)], None).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], "ada@example.com");
    assert!(me.get("password").is_none(), "the client's shape: {me}");
    assert_eq!(
        READS.load(Ordering::SeqCst),
        1,
        "one read of the user per REST call"
    );

    let connection = socket(&app, &[]);
    let logged_in = socket_call(
        &app,
        &connection,
        feathers_runtime::Method::Create,
        "authentication",
        None,
        json!({ "strategy": "jwt", "accessToken": token }),
    )
    .await
    .expect("a socket login");
    assert!(logged_in["user"].get("password").is_none(), "{logged_in}");
    let whoami = async || {
        socket_call(
            &app,
            &connection,
            feathers_runtime::Method::Find,
            "whoami",
            None,
            Value::Null,
        )
        .await
        .expect("a socket call")
    };
    READS.store(0, Ordering::SeqCst);
    for _ in 0..3 {
        let me = whoami().await;
        assert_eq!(me["email"], "ada@example.com");
        assert!(me.get("password").is_none(), "{me}");
    }
    assert_eq!(
        READS.load(Ordering::SeqCst),
        0,
        "a socket's login is verified once, not on every call"
    );

    // A change to the user is seen by the next call, which reads the user once.
    app.service("users")
        .expect("registered")
        .patch(
            logged_in["user"]["id"].as_i64().map(Id::from),
            json!({ "email": "ada@example.org" }),
            Params::default(),
        )
        .await
        .expect("patched");
    let me = whoami().await;
    assert_eq!(me["email"], "ada@example.org", "{me}");
    assert!(me.get("password").is_none(), "{me}");
    assert_eq!(
        READS.load(Ordering::SeqCst),
        1,
        "read again after the change"
    );
    whoami().await;
    assert_eq!(READS.load(Ordering::SeqCst), 1, "and kept from then on");
}
