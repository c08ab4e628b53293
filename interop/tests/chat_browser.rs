//! The chat page in a real browser: `chat-browser.test.mjs` drives Debian's Chromium
//! with playwright-core against the chat example (on 127.0.0.1, port 0, a temporary
//! SQLite database), and a page from another origin (a static server on another free
//! port) with the real `@feathersjs/client` and `socket.io-client` browser bundles,
//! against a chat whose CORS allows that origin and one whose CORS does not. It
//! takes the screenshot the README shows (`docs/chat.png`, refreshed with
//! `CHAT_SCREENSHOT=docs/chat.png`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::State;
use axum::routing::post;
use feathers_runtime::Server;
use tokio::sync::Mutex;

use feathers_auth::AuthConfig;
use feathers_runtime::{Serve, WebSettings};
use interop::run_node_tests_with;

fn temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("chat-browser-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// The page of the other origin and the browser bundles it loads, in `dir`.
fn other_origin_files(dir: &Path) {
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
    for (from, to) in [
        ("cross-origin.html", "cross-origin.html"),
        (
            "node_modules/@feathersjs/client/dist/feathers.js",
            "feathers.js",
        ),
        (
            "node_modules/socket.io-client/dist/socket.io.min.js",
            "socket.io.min.js",
        ),
    ] {
        std::fs::copy(js.join(from), dir.join(to)).unwrap_or_else(|err| {
            panic!("{from} is missing ({err}): run `npm ci --prefix interop/js`")
        });
    }
}

/// The chat the browser pages use, which the test stops and starts again on the same
/// address (`POST /control/stop`, `POST /control/start` on the other origin's server)
/// to see the page notice and reconnect.
#[derive(Clone)]
struct Restartable {
    database: String,
    origin: String,
    address: String,
    server: Arc<Mutex<Option<Server>>>,
}

impl Restartable {
    async fn start(&self) -> Server {
        chat::app_with(&self.database, secret(), open_config(&self.origin))
            .await
            .expect("the chat builds")
            .listen(&self.address)
            .await
            .expect("the chat starts")
    }
}

fn secret() -> AuthConfig {
    AuthConfig::new("a secret for the browser test, long enough")
}

fn open_config(origin: &str) -> WebSettings {
    let mut web = WebSettings::default();
    web.cors_origins = vec![origin.to_owned()];
    web
}

async fn stop_chat(State(chat): State<Restartable>) -> &'static str {
    if let Some(server) = chat.server.lock().await.take() {
        server.shutdown().await.expect("the chat stops");
    }
    "stopped"
}

async fn start_chat(State(chat): State<Restartable>) -> &'static str {
    let mut slot = chat.server.lock().await;
    if slot.is_none() {
        *slot = Some(chat.start().await);
    }
    "started"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_in_a_real_browser() {
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).is_file(),
        "the browser tests need Chromium at {chromium}: run ./scripts/test (it installs it with \
         apt-get), or `apt-get install chromium`, or set CHROMIUM_PATH"
    );
    let dir = temp_dir();
    let other_dir = dir.join("other");
    std::fs::create_dir_all(&other_dir).expect("a folder");
    other_origin_files(&other_dir);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let origin = format!("http://{}", listener.local_addr().expect("an address"));
    let database = |name: &str| format!("sqlite://{}", dir.join(name).display());
    let open = chat::app_with(&database("open.sqlite"), secret(), open_config(&origin))
        .await
        .expect("the chat builds")
        .listen("127.0.0.1:0")
        .await
        .expect("the chat starts");
    let open_url = open.url();
    let restartable = Restartable {
        database: database("open.sqlite"),
        origin: origin.clone(),
        address: open.local_addr().to_string(),
        server: Arc::new(Mutex::new(Some(open))),
    };
    let files = axum::Router::new()
        .route("/control/stop", post(stop_chat))
        .route("/control/start", post(start_chat))
        .with_state(restartable.clone())
        .fallback_service(tower_http::services::ServeDir::new(&other_dir));
    let other = tokio::spawn(async move { axum::serve(listener, files).await });
    let closed = chat::app_with(&database("closed.sqlite"), secret(), WebSettings::default())
        .await
        .expect("the chat builds")
        .listen("127.0.0.1:0")
        .await
        .expect("the chat starts");

    // The README's picture is refreshed with `CHAT_SCREENSHOT=docs/chat.png` (relative
    // to the workspace); otherwise the picture goes to a temporary file, so a test run
    // leaves the checkout as it was.
    let screenshot = match std::env::var_os("CHAT_SCREENSHOT") {
        Some(path) => Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path),
        None => std::env::temp_dir().join(format!("feathers-chat-{}.png", std::process::id())),
    };
    let _ = std::fs::remove_file(&screenshot);
    let screenshot_path = screenshot.clone();
    let closed_url = closed.url();
    let screenshot = screenshot.display().to_string();
    let run = run_node_tests_with(
        "chat-browser.test.mjs",
        &open_url,
        &[
            ("CHAT_CLOSED_URL", closed_url.as_str()),
            ("OTHER_ORIGIN", origin.as_str()),
            ("CHROMIUM_PATH", chromium.as_str()),
            ("SCREENSHOT", screenshot.as_str()),
        ],
    )
    .await;
    assert!(
        run.stdout.contains("pass 8"),
        "expected 8 passing tests\n{}",
        run.stdout
    );
    assert!(
        screenshot_path.is_file(),
        "the side-by-side screenshot was written to {}",
        screenshot_path.display()
    );
    if std::env::var_os("CHAT_SCREENSHOT").is_none() {
        let _ = std::fs::remove_file(&screenshot_path);
    }
    if let Some(open) = restartable.server.lock().await.take() {
        open.shutdown().await.expect("the chat stops");
    }
    closed.shutdown().await.expect("the chat stops");
    other.abort();
    let _ = std::fs::remove_dir_all(&dir);
}
