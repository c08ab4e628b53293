//! The README's run command: the chat binary serves on PORT, keeps its users, messages
//! and token secret beside `chat.sqlite` in its working directory across restarts,
//! needs a login for messages, and on SIGTERM finishes the request in flight before it
//! exits cleanly.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use serde_json::json;
use support::*;

#[cfg(unix)]
#[test]
fn serves_rest_and_stops_gracefully_on_sigterm() {
    let dir = work_dir();
    let mut chat = start(&dir, &[]);
    let (token, user) = sign_up_and_log_in(&chat.address, "ada@example.com", "correct horse");
    let (status, created) = request(
        &chat.address,
        "POST",
        "/messages",
        Some(&token),
        Some(json!({"text": "Hello"})),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["text"], "Hello");
    assert_eq!(created["userId"], user["id"]);

    // A request whose body is still on its way when SIGTERM arrives must finish. The
    // server answers `100 Continue` once the request is in its hands.
    let mut slow = TcpStream::connect(&chat.address).expect("connects");
    let head = format!(
        "POST /messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 16\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    );
    slow.write_all(head.as_bytes()).expect("writes the head");
    let mut reader = BufReader::new(slow.try_clone().expect("a second handle"));
    let mut interim = String::new();
    reader.read_line(&mut interim).expect("reads");
    assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
    let mut blank = String::new();
    reader.read_line(&mut blank).expect("reads");

    terminate(&mut chat.child);
    chat.wait_for_log("shutting down");
    slow.write_all(br#"{"text":"Later"}"#)
        .expect("writes the body");
    let mut response = String::new();
    reader.read_to_string(&mut response).expect("reads");
    let (status, later) = parse_response(&response);
    assert_eq!(status, 201, "the in-flight request finished: {response}");
    assert_eq!(later["text"], "Later");

    let exit = chat.child.wait().expect("waits");
    assert!(exit.success(), "a clean exit after SIGTERM: {exit}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn messages_need_a_login_and_users_change_only_themselves() {
    let dir = work_dir();
    let chat = start(&dir, &[]);
    let address = chat.address.clone();
    assert_eq!(request(&address, "GET", "/messages", None, None).0, 401);
    assert_eq!(
        request(
            &address,
            "POST",
            "/messages",
            None,
            Some(json!({"text": "x"}))
        )
        .0,
        401
    );
    assert_eq!(request(&address, "GET", "/users", None, None).0, 401);
    let (status, short) = request(
        &address,
        "POST",
        "/users",
        None,
        Some(json!({"email": "b@example.com", "password": "short"})),
    );
    assert_eq!(status, 400, "{short}");

    let (ada, ada_user) = sign_up_and_log_in(&address, "Ada@Example.com", "correct horse");
    assert_eq!(
        ada_user["email"], "ada@example.com",
        "emails are normalised"
    );
    assert!(ada_user.get("password").is_none(), "{ada_user}");
    let (status, taken) = request(
        &address,
        "POST",
        "/users",
        None,
        Some(json!({"email": "ada@example.com", "password": "another one"})),
    );
    assert_eq!(status, 409, "{taken}");
    let (bob, bob_user) = sign_up_and_log_in(&address, "bob@example.com", "battery staple");

    let (status, users) = request(&address, "GET", "/users", Some(&ada), None);
    assert_eq!(status, 200);
    assert_eq!(users["total"], 2, "a find is a page: {users}");
    assert_eq!(users["limit"], chat::PAGE, "{users}");
    let listed = users["data"].as_array().expect("a list");
    assert_eq!(listed.len(), 2);
    let (_, capped) = request(&address, "GET", "/users?$limit=100000", Some(&ada), None);
    assert_eq!(
        capped["limit"],
        chat::MAX_PAGE,
        "no find answers a whole table: {capped}"
    );
    assert!(
        listed.iter().all(|u| u.get("password").is_none()),
        "{users}"
    );

    // A logged-in user probing another's password hash through the query: refused,
    // however the field is reached (a hash would fall one character at a time).
    for probe in [
        "/users?password[$like]=%24argon2id%25",
        "/users?password[$gt]=%24",
        "/users?$or[0][email]=x&$or[1][password][$like]=%24argon2id%25",
        "/users?$sort[password]=1",
        "/users?$select[]=password",
    ] {
        let (status, refused) = request(&address, "GET", probe, Some(&ada), None);
        assert_eq!(status, 400, "{probe}: {refused}");
        assert_eq!(refused["data"]["field"], "password", "{probe}: {refused}");
    }

    let bob_path = format!("/users/{}", bob_user["id"]);
    let (status, _) = request(
        &address,
        "PATCH",
        &bob_path,
        Some(&ada),
        Some(json!({"email": "mallory@example.com"})),
    );
    assert_eq!(status, 403, "Ada cannot change Bob");
    assert_eq!(
        request(&address, "DELETE", &bob_path, Some(&ada), None).0,
        403
    );
    let (status, patched) = request(
        &address,
        "PATCH",
        &bob_path,
        Some(&bob),
        Some(json!({"password": "a new password"})),
    );
    assert_eq!(status, 200, "{patched}");
    assert!(patched.get("password").is_none(), "{patched}");
    log_in(&address, "bob@example.com", "a new password");

    // A PUT replaces an account: nobody's without a login, not another's, and one's
    // own only with a hashed password, under the sign-up's rules.
    let replacement = json!({"email": "mallory@example.com", "password": "taken over"});
    let (status, _) = request(&address, "PUT", &bob_path, None, Some(replacement.clone()));
    assert_eq!(status, 401, "an anonymous PUT replaces nobody");
    let (status, _) = request(&address, "PUT", &bob_path, Some(&ada), Some(replacement));
    assert_eq!(status, 403, "Ada cannot replace Bob");
    let (status, short) = request(
        &address,
        "PUT",
        &bob_path,
        Some(&bob),
        Some(json!({"email": "bob@example.com", "password": "short"})),
    );
    assert_eq!(status, 400, "{short}");
    let (status, replaced) = request(
        &address,
        "PUT",
        &bob_path,
        Some(&bob),
        Some(json!({"email": "Bob@Example.com", "password": "a third password"})),
    );
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["email"], "bob@example.com", "{replaced}");
    assert!(replaced.get("password").is_none(), "{replaced}");
    log_in(&address, "bob@example.com", "a third password");
    let (status, _) = request(
        &address,
        "PATCH",
        "/users",
        Some(&bob),
        Some(json!({"email": "x@example.com"})),
    );
    assert_eq!(status, 403, "a multi-record patch of users is refused");

    let (status, empty) = request(
        &address,
        "POST",
        "/messages",
        Some(&bob),
        Some(json!({"text": "  "})),
    );
    assert_eq!(status, 400, "{empty}");
    chat.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn users_messages_and_logins_survive_a_restart() {
    let dir = work_dir();
    let chat = start(&dir, &[]);
    assert!(
        chat.startup
            .iter()
            .any(|line| line.contains("made a new secret") && line.contains("chat.secret")),
        "the new secret and its place are logged: {:#?}",
        chat.startup
    );
    assert!(dir.join("chat.sqlite").is_file(), "the database is created");
    assert!(dir.join("chat.secret").is_file(), "the secret is kept");
    let (token, _) = sign_up_and_log_in(&chat.address, "ada@example.com", "correct horse");
    for text in ["first", "second"] {
        let (status, _) = request(
            &chat.address,
            "POST",
            "/messages",
            Some(&token),
            Some(json!({ "text": text })),
        );
        assert_eq!(status, 201);
    }
    chat.stop();

    let chat = start(&dir, &[]);
    assert!(
        chat.startup.iter().any(|line| line.contains("kept in")),
        "{:#?}",
        chat.startup
    );
    // The token from before the restart still works: the secret was kept.
    let (status, listed) = request(
        &chat.address,
        "GET",
        "/messages?$sort[id]=1",
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{listed}");
    let texts: Vec<_> = listed["data"]
        .as_array()
        .expect("a page")
        .iter()
        .map(|m| m["text"].clone())
        .collect();
    assert_eq!(texts, vec![json!("first"), json!("second")]);
    log_in(&chat.address, "ada@example.com", "correct horse");
    chat.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn instances_with_one_secret_accept_each_others_tokens() {
    let dir = work_dir();
    let database = format!("sqlite://{}", dir.join("shared.sqlite").display());
    let secret = "a shared secret for both instances, long enough";
    let env = [
        ("DATABASE_URL", database.as_str()),
        ("FEATHERS_AUTH_SECRET", secret),
    ];
    let first = start(&dir, &env);
    assert!(
        first
            .startup
            .iter()
            .any(|line| line.contains("FEATHERS_AUTH_SECRET")),
        "{:#?}",
        first.startup
    );
    let second = start(&dir, &env);
    let (token, _) = sign_up_and_log_in(&first.address, "ada@example.com", "correct horse");
    assert_eq!(
        request(&second.address, "GET", "/messages", Some(&token), None).0,
        200
    );
    assert!(
        !dir.join("shared.secret").exists(),
        "no secret file is made"
    );

    // An instance with its own secret refuses them.
    let other = start(&dir, &[("DATABASE_URL", database.as_str())]);
    assert_eq!(
        request(&other.address, "GET", "/messages", Some(&token), None).0,
        401
    );
    for chat in [first, second, other] {
        chat.stop();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_page_is_served_at_the_root() {
    let dir = work_dir();
    let chat = start(&dir, &[]);
    let mut stream = TcpStream::connect(&chat.address).expect("connects");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("writes");
    let mut page = String::new();
    stream.read_to_string(&mut page).expect("reads");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let lower = page.to_ascii_lowercase();
    assert!(lower.contains("content-type: text/html"), "{page}");
    assert!(
        lower.contains("content-security-policy: default-src 'self'"),
        "{page}"
    );
    assert!(
        page.contains("<script type=\"module\" src=\"/app.js\">"),
        "{page}"
    );
    for file in ["/app.js", "/socket.js", "/style.css"] {
        let mut stream = TcpStream::connect(&chat.address).expect("connects");
        stream
            .write_all(
                format!("GET {file} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .expect("writes");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("reads");
        assert!(answer.starts_with("HTTP/1.1 200"), "{file}: {answer}");
    }
    chat.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The attacks of a logged-in user on other people's messages: each is refused, and
/// the author's own changes keep what the server set.
#[test]
fn only_the_author_changes_or_removes_a_message() {
    let dir = work_dir();
    let chat = start(&dir, &[]);
    let address = chat.address.clone();
    let (ada, ada_user) = sign_up_and_log_in(&address, "ada@example.com", "correct horse");
    let (bob, bob_user) = sign_up_and_log_in(&address, "bob@example.com", "battery staple");
    let (status, message) = request(
        &address,
        "POST",
        "/messages",
        Some(&ada),
        Some(json!({"text": "Ada's", "userId": bob_user["id"]})),
    );
    assert_eq!(status, 400, "an author cannot be forged: {message}");
    let (status, message) = request(
        &address,
        "POST",
        "/messages",
        Some(&ada),
        Some(json!({"text": "Ada's"})),
    );
    assert_eq!(status, 201, "{message}");
    assert_eq!(message["userId"], ada_user["id"], "{message}");
    assert_eq!(message["user"]["email"], "ada@example.com", "{message}");
    let path = format!("/messages/{}", message["id"]);

    // Bob against Ada's message: each way is a 404, and nothing changes.
    let attempts = [
        (
            "PATCH",
            path.as_str(),
            Some(json!({"text": "Bob was here"})),
        ),
        ("PUT", path.as_str(), Some(json!({"text": "Bob was here"}))),
        ("DELETE", path.as_str(), None),
    ];
    for (method, target, body) in attempts {
        let (status, answer) = request(&address, method, target, Some(&bob), body);
        assert_eq!(status, 404, "{method} {target}: {answer}");
    }
    // Many at once: the chat allows no multi-record changes.
    let (status, patched) = request(
        &address,
        "PATCH",
        "/messages",
        Some(&bob),
        Some(json!({"text": "Bob was here"})),
    );
    assert_eq!(status, 405, "{patched}");
    assert_eq!(
        request(&address, "DELETE", "/messages", Some(&bob), None).0,
        405
    );
    let (_, kept) = request(&address, "GET", &path, Some(&ada), None);
    assert_eq!(kept["text"], "Ada's", "{kept}");

    // Ada's own changes: a PUT keeps the author and the time; a patch cannot hand the
    // message to someone else, and is held to the length limit like a create.
    let (status, replaced) = request(
        &address,
        "PUT",
        &path,
        Some(&ada),
        Some(json!({"text": "Ada's, edited"})),
    );
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["userId"], ada_user["id"], "{replaced}");
    assert_eq!(replaced["createdAt"], message["createdAt"], "{replaced}");
    let (status, patched) = request(
        &address,
        "PATCH",
        &path,
        Some(&ada),
        Some(json!({"text": "again", "userId": bob_user["id"]})),
    );
    assert_eq!(
        status, 400,
        "the author is not the client's to set: {patched}"
    );
    assert_eq!(
        patched["data"][0]["params"]["additionalProperty"], "userId",
        "{patched}"
    );
    let (status, patched) = request(
        &address,
        "PATCH",
        &path,
        Some(&ada),
        Some(json!({"text": "again"})),
    );
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["userId"], ada_user["id"], "{patched}");
    assert_eq!(patched["user"]["email"], "ada@example.com", "{patched}");
    assert!(patched["user"].get("password").is_none(), "{patched}");
    let long = "x".repeat(chat::MAX_LENGTH + 1);
    for method in ["PATCH", "PUT"] {
        let (status, refused) = request(
            &address,
            method,
            &path,
            Some(&ada),
            Some(json!({"text": long})),
        );
        assert_eq!(status, 400, "{method}: {refused}");
    }
    assert_eq!(request(&address, "DELETE", &path, Some(&ada), None).0, 200);
    chat.stop();
    let _ = std::fs::remove_dir_all(&dir);
}
