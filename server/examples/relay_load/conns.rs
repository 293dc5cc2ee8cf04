//! Connections to either relay: signing up and befriending (Hearth), joining a pair's room
//! (socket.io), and the two tasks each connection then runs: a writer fed by a channel (so the
//! scheduler never waits on one slow socket) and a reader that books each delivery.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::book::Book;
use crate::wire::{Inbound, Relay};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;
/// The step being measured, shared by every reader.
pub type Shared = Arc<Mutex<Option<Book>>>;

/// Signs up `name` on Hearth; its session cookie.
pub async fn sign_up(http: &reqwest::Client, addr: &str, name: &str) -> String {
    let res = http
        .post(format!("http://{addr}/api/signup"))
        .json(&serde_json::json!({"username": name, "password": "relay-bench-pw"}))
        .send()
        .await
        .expect("signup");
    assert_eq!(res.status(), 201, "signup of {name}");
    let cookie = res.headers()["set-cookie"].to_str().expect("ascii");
    cookie.split(';').next().expect("cookie").to_owned()
}

/// A Hearth socket past `welcome`.
pub async fn hearth_socket(addr: &str, cookie: &str) -> Ws {
    let mut req = format!("ws://{addr}/ws")
        .into_client_request()
        .expect("url");
    let headers = req.headers_mut();
    headers.insert("origin", format!("http://{addr}").parse().expect("origin"));
    headers.insert("cookie", cookie.parse().expect("cookie"));
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("connect");
    let hello = r#"{"domain":"session","type":"hello","protocol":1}"#;
    ws.send(Message::text(hello)).await.expect("hello");
    until(&mut ws, |t| t.contains(r#""type":"welcome""#)).await;
    ws
}

/// Makes `a` and `b` (named `a_name`, `b_name`) friends; their conversation.
pub async fn befriend(a: &mut Ws, a_name: &str, b: &mut Ws, b_name: &str) -> u64 {
    let ask = |to: &str| {
        format!(r#"{{"domain":"friends","type":"request","req_id":1,"username":"{to}"}}"#)
    };
    a.send(Message::text(ask(b_name))).await.expect("request");
    until(a, |t| t.contains(r#""type":"ack""#)).await;
    // Asking back accepts.
    b.send(Message::text(ask(a_name)))
        .await
        .expect("request back");
    let roster = until(a, |t| t.contains(r#""conversation":"#)).await;
    let v: serde_json::Value = serde_json::from_str(&roster).expect("json");
    v["friends"][0]["conversation"]
        .as_u64()
        .expect("conversation")
}

/// A socket.io connection (the WebSocket transport straight away, as the seed's clients
/// upgrade to) connected to the default namespace, in room `room` if given.
pub async fn socketio_socket(addr: &str, room: Option<&str>) -> Ws {
    let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket");
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connect");
    until(&mut ws, |t| t.starts_with('0')).await; // engine.io open
    ws.send(Message::text("40")).await.expect("namespace");
    until(&mut ws, |t| t.starts_with("40")).await;
    if let Some(room) = room {
        ws.send(Message::text(format!(r#"421["join","{room}"]"#)))
            .await
            .expect("join");
        until(&mut ws, |t| t.starts_with("431")).await; // the join's ack
    }
    ws
}

/// Reads until a text frame `want`s; that frame.
async fn until(ws: &mut Ws, want: impl Fn(&str) -> bool) -> String {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if want(t.as_str()) => return t.as_str().to_owned(),
            Some(Ok(Message::Text(t))) if t.as_str() == "2" => {
                ws.send(Message::text("3")).await.expect("pong");
            }
            Some(Ok(_)) => {}
            other => panic!("connection ended while setting up: {other:?}"),
        }
    }
}

/// Runs connection `me`: its reader books deliveries into `shared`; the returned channel
/// feeds its writer.
pub fn run(ws: Ws, relay: Relay, me: usize, shared: Shared) -> mpsc::UnboundedSender<String> {
    let (mut sink, mut stream) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut next = Some(first);
            while let Some(frame) = next {
                if sink.feed(Message::text(frame)).await.is_err() {
                    return;
                }
                next = rx.try_recv().ok();
            }
            if sink.flush().await.is_err() {
                return;
            }
        }
    });
    let answer = tx.clone();
    tokio::spawn(async move {
        while let Some(Ok(frame)) = stream.next().await {
            let Message::Text(text) = frame else { continue };
            match relay.read(text.as_str()) {
                Inbound::Message(id) => {
                    let now = Instant::now();
                    if let Some(book) = shared.lock().expect("book").as_mut() {
                        book.record(id, me, now);
                    }
                }
                Inbound::Ping => {
                    let _ = answer.send("3".to_owned());
                }
                Inbound::Error => {
                    if let Some(book) = shared.lock().expect("book").as_mut() {
                        book.errors += 1;
                    }
                }
                Inbound::Other => {}
            }
        }
    });
    tx
}
