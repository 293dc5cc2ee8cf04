//! Nothing acknowledged is lost across a restart: a graceful one in-process, and a killed
//! `hearth` process (SIGKILL, no chance to flush) restarted on the same data folder.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{befriend, Client, TestServer};
use hearth_shared::chat::ClientChat;
use hearth_shared::chat::ServerChat;
use hearth_shared::{ClientMsg, ServerMsg};

async fn history_texts(c: &mut Client, conv: hearth_shared::ConversationId) -> Vec<String> {
    let req_id = c.req();
    c.send(ClientMsg::Chat(ClientChat::History {
        req_id,
        conversation: conv,
        before: None,
        limit: 100,
    }))
    .await;
    c.recv_until(|m| match m {
        ServerMsg::Chat(ServerChat::Page { messages, .. }) => {
            Some(messages.iter().rev().map(|m| m.text.clone()).collect())
        }
        _ => None,
    })
    .await
}

#[tokio::test]
async fn history_and_sessions_survive_a_restart() {
    let mut server = TestServer::start().await;
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    a.post(conv, "before the restart").await.expect("post");
    b.post(conv, "me too").await.expect("post");
    let (cookie_a, cookie_b) = (a.cookie.clone(), b.cookie.clone());
    drop((a, b));
    let dir = server.take_dir();
    server.stop().await;
    let server = TestServer::start_in(dir.path(), common::quick_settings()).await;
    let mut a = Client::connect(&server, &cookie_a).await;
    assert_eq!(
        history_texts(&mut a, conv).await,
        vec!["before the restart", "me too"]
    );
    a.post(conv, "after").await.expect("post");
    let mut b = Client::connect(&server, &cookie_b).await;
    assert_eq!(history_texts(&mut b, conv).await.len(), 3);
}

struct Hearth(Child, String);

impl Hearth {
    /// Starts the real binary on port 0 and reads the URL it prints.
    fn start(data: &std::path::Path) -> Hearth {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(["--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .arg("--static-dir")
            .arg(data.join("no-web-app"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start hearth");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("first line");
        // Keep reading so later prints never hit a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let url = line
            .split("open ")
            .nth(1)
            .expect("prints the URL")
            .trim()
            .trim_end_matches('/')
            .to_owned();
        Hearth(child, url)
    }
}

impl Drop for Hearth {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn an_acknowledged_message_survives_kill_9() {
    let dir = tempfile::tempdir().expect("tempdir");
    let proc1 = Hearth::start(dir.path());
    let addr: std::net::SocketAddr = proc1.1.trim_start_matches("http://").parse().expect("addr");
    let server = common::TestServer::external(addr);
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let conv = befriend(&mut a, &mut b).await;
    for i in 0..20 {
        a.post(conv, &format!("durable {i}"))
            .await
            .expect("acknowledged");
    }
    let cookie = b.cookie.clone();
    drop(proc1); // SIGKILL right after the last ack
    let proc2 = Hearth::start(dir.path());
    let addr: std::net::SocketAddr = proc2.1.trim_start_matches("http://").parse().expect("addr");
    let server = common::TestServer::external(addr);
    let mut b = Client::connect(&server, &cookie).await;
    let texts = history_texts(&mut b, conv).await;
    assert_eq!(
        texts,
        (0..20).map(|i| format!("durable {i}")).collect::<Vec<_>>()
    );
}
