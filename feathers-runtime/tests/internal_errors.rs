//! A result that cannot be serialised is the server's fault (500), never the
//! client's (400), and the text of internal errors (serde's, I/O's) stays in the log.

mod rest_support;

use std::collections::HashMap;

use feathers_runtime::prelude::*;
use rest_support::call;

#[derive(Default)]
struct Broken;

#[derive(Serialize)]
struct Report {
    /// Tuple keys do not serialise as JSON.
    by_pair: HashMap<(u8, u8), String>,
}

#[service("broken", register = false)]
impl Broken {
    /// A result that fails to serialise.
    async fn find(&self) -> Result<Report> {
        let mut by_pair = HashMap::new();
        by_pair.insert((1, 2), "x".to_owned());
        Ok(Report { by_pair })
    }

    /// A serde_json error from the service's own code, through `?`.
    async fn get(&self, _id: u64) -> Result<Value> {
        let mut by_pair = HashMap::new();
        by_pair.insert((1, 2), "x");
        Ok(serde_json::to_value(by_pair)?)
    }

    /// An I/O error through `?`: its text names a path.
    async fn create(&self, _data: Value) -> Result<Value> {
        let text = std::fs::read_to_string("/nonexistent/secret-dir/settings.toml")?;
        Ok(json!(text))
    }
}

fn app() -> App {
    App::builder().service(Broken).build().expect("app builds")
}

#[tokio::test]
async fn a_result_that_cannot_be_serialised_is_a_500_without_serde_details() {
    let reply = call(&app(), "GET", "/broken").await;
    assert_eq!(reply.status, 500, "{:?}", reply.json());
    assert_eq!(reply.json()["name"], "GeneralError");
    assert!(
        !reply.message().contains("key must be"),
        "{}",
        reply.message()
    );
}

#[tokio::test]
async fn a_serde_error_from_service_code_is_a_500() {
    let reply = call(&app(), "GET", "/broken/1").await;
    assert_eq!(reply.status, 500, "{:?}", reply.json());
    assert!(
        !reply.message().contains("key must be"),
        "{}",
        reply.message()
    );
}

#[tokio::test]
async fn io_error_text_does_not_reach_the_client() {
    let reply = rest_support::call_json(&app(), "POST", "/broken", "{}").await;
    assert_eq!(reply.status, 500, "{:?}", reply.json());
    assert!(
        !reply.message().contains("secret-dir"),
        "{}",
        reply.message()
    );
    assert!(
        !reply.message().contains("No such file"),
        "{}",
        reply.message()
    );
}
