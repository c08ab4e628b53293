//! The chat's schemas: what a client may send to `users` and `messages`, the errors it
//! gets back (Feathers 5's, as the real clients read them), and what it may query.

use chat::{Messages, Users, MAX_LENGTH};
use feathers_runtime::prelude::*;

fn app() -> App {
    App::builder()
        .service(Users::default())
        .service(Messages::default())
        .build()
        .expect("the chat's services build")
}

/// `(instancePath, keyword)` of each problem of an error.
fn problems(err: &Error) -> Vec<(String, String)> {
    let data = err.data().cloned().unwrap_or_default();
    data.as_array()
        .map(|problems| {
            problems
                .iter()
                .map(|p| {
                    let text = |key: &str| p[key].as_str().unwrap_or_default().to_owned();
                    (text("instancePath"), text("keyword"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The params of a call from a client over REST.
fn external() -> Params {
    Params {
        provider: Some(feathers_runtime::Provider::Rest),
        ..Params::default()
    }
}

#[tokio::test]
async fn a_message_is_one_to_a_thousand_characters_that_are_not_all_blank() {
    let app = app();
    let messages = app.service("messages").expect("registered");
    for (text, expected) in [
        (
            String::new(),
            vec![("/text", "minLength"), ("/text", "pattern")],
        ),
        ("   ".to_owned(), vec![("/text", "pattern")]),
        ("x".repeat(MAX_LENGTH + 1), vec![("/text", "maxLength")]),
    ] {
        let err = messages
            .create(json!({ "text": text }), external())
            .await
            .expect_err("refused");
        assert_eq!(err.code(), 400);
        assert_eq!(err.message(), "validation failed");
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(path, keyword)| (path.to_owned(), keyword.to_owned()))
            .collect();
        assert_eq!(problems(&err), expected, "{}", text.len());
    }
    let err = messages
        .create(json!({ "nope": 1 }), external())
        .await
        .expect_err("refused");
    assert_eq!(
        problems(&err),
        [
            (String::new(), "additionalProperties".to_owned()),
            (String::new(), "required".to_owned())
        ]
    );
    let created = messages
        .create(json!({ "text": "Hello" }), external())
        .await
        .expect("a valid message");
    let id = created["id"].clone();
    // The same rules on every write: a patch of 900,000 characters is refused.
    let err = messages
        .patch(
            Id::from_value(&id).ok().flatten(),
            json!({ "text": "x".repeat(900_000) }),
            external(),
        )
        .await
        .expect_err("too long");
    assert_eq!(
        problems(&err),
        [("/text".to_owned(), "maxLength".to_owned())]
    );
    // And a client cannot hand the message to someone else, or backdate it.
    for field in ["userId", "createdAt", "id"] {
        let err = messages
            .patch(
                Id::from_value(&id).ok().flatten(),
                json!({ field: 7 }),
                external(),
            )
            .await
            .expect_err("a field the server sets");
        assert_eq!(
            err.data().map(|d| d[0]["params"].clone()),
            Some(json!({ "additionalProperty": field }))
        );
    }
}

#[tokio::test]
async fn a_sign_up_needs_an_email_and_a_long_enough_password() {
    let app = app();
    let users = app.service("users").expect("registered");
    let err = users
        .create(
            json!({ "email": "not an email", "password": "short" }),
            external(),
        )
        .await
        .expect_err("refused");
    assert_eq!(
        problems(&err),
        [
            ("/email".to_owned(), "format".to_owned()),
            ("/password".to_owned(), "minLength".to_owned())
        ]
    );
    let text = serde_json::to_string(&err.data()).expect("serialises");
    assert!(
        !text.contains("short"),
        "the password is not echoed: {text}"
    );
    let err = users
        .create(
            json!({ "email": "a@example.com", "password": "long enough", "admin": true }),
            external(),
        )
        .await
        .expect_err("no other field");
    assert_eq!(
        problems(&err),
        [(String::new(), "additionalProperties".to_owned())]
    );
    let user = users
        .create(
            json!({ "email": "Ada@Example.com", "password": "long enough" }),
            external(),
        )
        .await
        .expect("signed up");
    assert_eq!(user["email"], "ada@example.com");
    assert!(user.get("password").is_none());
}

#[tokio::test]
async fn the_schemas_describe_the_chat_and_close_the_password_to_queries() {
    let app = app();
    let schemas = app.schemas();
    assert_eq!(
        schemas["messages"]["create"]["data"]["properties"]["text"]["maxLength"],
        MAX_LENGTH
    );
    assert_eq!(
        schemas["users"]["create"]["data"]["properties"]["email"]["format"],
        "email"
    );
    let user_fields: Vec<&String> = schemas["users"]["result"]["properties"]
        .as_object()
        .map(|properties| properties.keys().collect())
        .unwrap_or_default();
    assert_eq!(user_fields, ["id", "email"]);
    assert!(schemas["users"]["query"]["properties"]
        .get("password")
        .is_none());
    let message_fields: Vec<&String> = schemas["messages"]["result"]["properties"]
        .as_object()
        .map(|properties| properties.keys().collect())
        .unwrap_or_default();
    assert_eq!(message_fields, ["id", "text", "userId", "createdAt"]);
}
