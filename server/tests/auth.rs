//! Sign up, log in, `/api/me`, log out (which closes that session's sockets). Limits on
//! both are in `throttle.rs`.

mod common;

use common::{cookie_of, open_ws, Client, TestServer};
use futures_util::StreamExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

async fn post(server: &TestServer, path: &str, body: serde_json::Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url(path))
        .json(&body)
        .send()
        .await
        .expect("request")
}

async fn code(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: serde_json::Value = res.json().await.expect("json error body");
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn signup_validates_and_refuses_taken_names() {
    let server = TestServer::start().await;
    let bad_name = post(
        &server,
        "/api/signup",
        json!({"username":"a b","password":"password123"}),
    )
    .await;
    assert_eq!(code(bad_name).await, (400, "invalid_username".into()));
    let bad_pw = post(
        &server,
        "/api/signup",
        json!({"username":"alice","password":"short"}),
    )
    .await;
    assert_eq!(code(bad_pw).await, (400, "invalid_password".into()));
    server.signup("alice").await;
    let taken = post(
        &server,
        "/api/signup",
        json!({"username":"Alice","password":"password123"}),
    )
    .await;
    assert_eq!(code(taken).await, (409, "username_taken".into()));
}

#[tokio::test]
async fn login_gives_an_http_only_cookie_that_me_accepts() {
    let server = TestServer::start().await;
    server.signup("alice").await;
    let wrong = post(
        &server,
        "/api/login",
        json!({"username":"alice","password":"wrong-password"}),
    )
    .await;
    assert_eq!(code(wrong).await, (401, "bad_credentials".into()));
    let nobody = post(
        &server,
        "/api/login",
        json!({"username":"nobody","password":"password123"}),
    )
    .await;
    assert_eq!(
        code(nobody).await,
        (401, "bad_credentials".into()),
        "same answer for an unknown user"
    );
    let ok = post(
        &server,
        "/api/login",
        json!({"username":"alice","password":"password123"}),
    )
    .await;
    assert_eq!(ok.status(), 200);
    let set = ok.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let cookie = cookie_of(&ok);
    let me = reqwest::Client::new()
        .get(server.url("/api/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("me");
    let body: serde_json::Value = me.json().await.expect("json");
    assert_eq!(body["user"]["username"], "alice");
    let anon = reqwest::get(server.url("/api/me")).await.expect("me");
    assert_eq!(code(anon).await, (401, "unauthorized".into()));
}

#[tokio::test]
async fn logout_ends_the_session_and_closes_its_sockets() {
    let server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut other_session = Client::connect(&server, &{
        let res = post(
            &server,
            "/api/login",
            json!({"username":"alice","password":"password123"}),
        )
        .await;
        cookie_of(&res)
    })
    .await;
    let res = reqwest::Client::new()
        .post(server.url("/api/logout"))
        .header("cookie", &a.cookie)
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 204);
    assert_eq!(a.closed().await, 4001, "the logged-out tab is closed");
    assert_eq!(
        open_ws(&server, Some(&server.origin()), Some(&a.cookie))
            .await
            .err(),
        Some(401)
    );
    other_session
        .send(hearth_shared::ClientMsg::Session(
            hearth_shared::session::ClientSession::Ping,
        ))
        .await;
    other_session
        .recv_until(|m| {
            matches!(
                m,
                hearth_shared::ServerMsg::Session(hearth_shared::session::ServerSession::Pong)
            )
            .then_some(())
        })
        .await;
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let server = TestServer::start().await;
    let res = reqwest::Client::new()
        .post(server.url("/api/signup"))
        .header("origin", "http://evil.example")
        .json(&json!({"username":"alice","password":"password123"}))
        .send()
        .await
        .expect("request");
    assert_eq!(code(res).await, (403, "bad_origin".into()));
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let server = TestServer::start().await;
    let r = reqwest::get(server.url("/api/nope"))
        .await
        .expect("request");
    assert_eq!(code(r).await, (404, "not_found".into()));
}

#[tokio::test]
async fn a_socket_upgraded_before_logout_is_not_welcomed_after_it() {
    let server = TestServer::start().await;
    let cookie = server.signup("alice").await;
    let ws = open_ws(&server, Some(&server.origin()), Some(&cookie))
        .await
        .expect("upgrade while logged in");
    let mut c = Client::raw(ws, &cookie);
    let res = reqwest::Client::new()
        .post(server.url("/api/logout"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 204);
    // The socket says hello only now, after the session ended.
    c.send(hearth_shared::ClientMsg::Session(
        hearth_shared::session::ClientSession::Hello {
            protocol: hearth_shared::PROTOCOL_VERSION,
        },
    ))
    .await;
    let mut welcomed = false;
    let code = loop {
        match tokio::time::timeout(common::DEADLINE, c.ws.next())
            .await
            .expect("an answer in time")
        {
            Some(Ok(Message::Text(t))) => welcomed |= t.contains(r#""type":"welcome""#),
            Some(Ok(Message::Close(f))) => break f.map_or(1005, |f| u16::from(f.code)),
            Some(Ok(_)) => {}
            None | Some(Err(_)) => break 1006,
        }
    };
    assert!(!welcomed, "no welcome for an ended session");
    assert_eq!(code, 4001, "closed as logged out");
}
