//! Nothing acknowledged is lost across a restart: a graceful one in-process, and a killed
//! `hearth` process (SIGKILL, no chance to flush) restarted on the same data folder.

mod common;

use common::process::HearthProcess;
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

#[tokio::test]
async fn an_acknowledged_message_survives_kill_9() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = env!("CARGO_BIN_EXE_hearth");
    let proc1 = HearthProcess::start(bin, dir.path());
    let server = common::TestServer::external(proc1.addr);
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
    let proc2 = HearthProcess::start(bin, dir.path());
    let server = common::TestServer::external(proc2.addr);
    let mut b = Client::connect(&server, &cookie).await;
    let texts = history_texts(&mut b, conv).await;
    assert_eq!(
        texts,
        (0..20).map(|i| format!("durable {i}")).collect::<Vec<_>>()
    );
}
