//! The generator's side of the signaling pipe: it starts `sfu_load --serve` as a child pinned
//! to its core, writes each client's commands to it, and hands each line it prints to the
//! client it is for.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::sync::mpsc;

/// What the SFU says to one client.
#[derive(Debug)]
pub enum Signal {
    /// The answer to its offer.
    Answer(String),
    /// An offer of what it is to receive.
    Offer(String),
    /// A command of its was refused.
    Error(String),
}

type Routes = Arc<Mutex<HashMap<(String, u32), mpsc::UnboundedSender<Signal>>>>;

/// A running SFU child and the way to it.
#[derive(Clone)]
pub struct Pipe {
    stdin: Arc<Mutex<ChildStdin>>,
    routes: Routes,
    child: Arc<Mutex<Child>>,
    /// Its process id, for its CPU and memory.
    pub pid: u32,
    /// Its media port.
    pub port: u16,
}

impl Pipe {
    /// Starts the SFU child and pins it to `core`.
    pub fn start(core: &str) -> Pipe {
        let exe = std::env::current_exe().expect("this program's path");
        let mut child = Command::new(exe)
            .arg("--serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the SFU child starts");
        let pid = child.id();
        crate::procstat::pin(pid, core);
        let stdin = child.stdin.take().expect("stdin");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let ready: Value =
            serde_json::from_str(&lines.next().expect("a line").expect("read")).expect("json");
        let media: std::net::SocketAddr = (ready["ready"].as_str())
            .and_then(|a| a.parse().ok())
            .expect("the SFU child says where its media port is");
        let routes: Routes = Arc::default();
        let r = routes.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                route(&r, &line);
            }
        });
        Pipe {
            stdin: Arc::new(Mutex::new(stdin)),
            routes,
            child: Arc::new(Mutex::new(child)),
            pid,
            port: media.port(),
        }
    }

    /// Where `(call, user)`'s signals arrive from now on.
    pub fn listen(&self, call: &str, user: u32) -> mpsc::UnboundedReceiver<Signal> {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut routes = self.routes.lock().expect("routes");
        routes.insert((call.to_owned(), user), tx);
        rx
    }

    /// Sends a command for `(call, user)`.
    pub fn send(&self, op: &str, call: &str, user: u32, sdp: &str) {
        let line = json!({"op": op, "call": call, "user": user, "sdp": sdp});
        let mut stdin = self.stdin.lock().expect("stdin");
        writeln!(stdin, "{line}").expect("the SFU child reads");
        stdin.flush().expect("flush");
    }

    /// Stops the child.
    pub fn stop(&self) {
        let mut child = self.child.lock().expect("child");
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn route(routes: &Routes, line: &str) {
    let Ok(v) = serde_json::from_str::<Value>(line) else {
        return;
    };
    let key = (
        v["call"].as_str().unwrap_or_default().to_owned(),
        v["user"].as_u64().unwrap_or_default() as u32,
    );
    let sdp = v["sdp"].as_str().unwrap_or_default().to_owned();
    let signal = match v["ev"].as_str() {
        Some("answer") => Signal::Answer(sdp),
        Some("offer") => Signal::Offer(sdp),
        _ => Signal::Error(sdp),
    };
    if let Some(tx) = routes.lock().expect("routes").get(&key) {
        let _ = tx.send(signal);
    }
}
