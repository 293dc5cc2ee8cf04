//! A port-0 server on a fresh data folder and a typed WebSocket test client.
#![allow(dead_code)]

pub mod calls;
mod client;
pub mod process;
pub mod rooms;

pub use client::{befriend, Client};

use std::path::{Path, PathBuf};
use std::time::Duration;

use hearth_server::assets::Assets;
use hearth_server::store::Store;
use hearth_server::{run, AppState, Settings};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long any single expectation may take.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// A running server.
pub struct TestServer {
    pub addr: std::net::SocketAddr,
    pub data: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
}

/// Short timeouts, and command budgets raised a hundredfold: tests post hundreds of messages
/// in a blink, which people do not (`limits.rs` tests the real budgets).
pub fn quick_settings() -> Settings {
    Settings {
        command_budget_scale: 100.0,
        idle_timeout: Duration::from_secs(3),
        heartbeat_interval: Duration::from_secs(1),
        handshake_timeout: Duration::from_secs(2),
        ..Settings::default()
    }
}

/// A server with its SFU on a loopback port of its own. The usual idle timeout: sockets sit
/// quiet while the media clients connect.
pub fn with_sfu() -> Settings {
    let bind = "127.0.0.1:0".parse().expect("an address");
    let announced = "127.0.0.1".parse().expect("an address");
    Settings {
        media: Some((bind, announced)),
        command_budget_scale: quick_settings().command_budget_scale,
        ..Settings::default()
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = TestServer::start_in(dir.path(), quick_settings()).await;
        s._dir = Some(dir);
        s
    }

    pub async fn start_with(settings: Settings) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = TestServer::start_in(dir.path(), settings).await;
        s._dir = Some(dir);
        s
    }

    pub async fn start_in(data: &Path, settings: Settings) -> TestServer {
        let store = Store::open(&data.join("hearth.db")).expect("open store");
        let state = AppState::new(store, settings, Assets::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(run(listener, state, None, async {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            data: data.to_path_buf(),
            stop: Some(stop),
            task: Some(task),
            _dir: None,
        }
    }

    /// A handle to a server running elsewhere (the real binary).
    pub fn external(addr: std::net::SocketAddr) -> TestServer {
        TestServer {
            addr,
            data: PathBuf::new(),
            stop: None,
            task: None,
            _dir: None,
        }
    }

    /// Stops the server and waits until it has let go of everything.
    pub async fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            tokio::time::timeout(DEADLINE, t)
                .await
                .expect("server stops in time")
                .expect("server task");
        }
    }

    /// Takes the temporary folder so it outlives this server (for restarts).
    pub fn take_dir(&mut self) -> tempfile::TempDir {
        self._dir.take().expect("owns its folder")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Signs up and returns the session cookie (`name=value`).
    pub async fn signup(&self, username: &str) -> String {
        let res = reqwest::Client::new()
            .post(self.url("/api/signup"))
            .json(&serde_json::json!({"username": username, "password": "password123"}))
            .send()
            .await
            .expect("signup request");
        assert_eq!(res.status(), 201, "signup {username}");
        cookie_of(&res)
    }

    /// Signs up, connects and completes the handshake.
    pub async fn user(&self, username: &str) -> Client {
        let cookie = self.signup(username).await;
        Client::connect(self, &cookie).await
    }
}

/// The `name=value` part of the response's `Set-Cookie`.
pub fn cookie_of(res: &reqwest::Response) -> String {
    let raw = res
        .headers()
        .get("set-cookie")
        .expect("set-cookie")
        .to_str()
        .expect("ascii");
    raw.split(';').next().expect("pair").to_owned()
}

/// Opens a WebSocket with the given headers; the HTTP status on refusal.
pub async fn open_ws(
    server: &TestServer,
    origin: Option<&str>,
    cookie: Option<&str>,
) -> Result<WebSocketStream<MaybeTlsStream<TcpStream>>, u16> {
    let mut req = format!("ws://{}/ws", server.addr)
        .into_client_request()
        .expect("request");
    if let Some(o) = origin {
        req.headers_mut()
            .insert("origin", o.parse().expect("origin"));
    }
    if let Some(c) = cookie {
        req.headers_mut()
            .insert("cookie", c.parse().expect("cookie"));
    }
    match tokio_tungstenite::connect_async(req).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
        Err(e) => panic!("websocket connect failed: {e}"),
    }
}
