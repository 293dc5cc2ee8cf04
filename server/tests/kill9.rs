//! Durability under crashes: three friends post to a fourth while the real `hearth` process
//! is SIGKILLed five times mid-stream. Each writer retries an unanswered post with the same
//! client id after the restart, as the app's outbox does. Afterwards every acknowledged
//! message is there, once, in order, with gap-free sequence numbers, and SQLite's
//! `integrity_check` says ok.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::process::HearthProcess;
use common::{befriend, Client, TestServer, DEADLINE};
use futures_util::{SinkExt, StreamExt};
use hearth_shared::chat::{ClientChat, Cursor, ServerChat};
use hearth_shared::session::ServerSession;
use hearth_shared::{ClientMsg, ClientMsgId, ConversationId, Seq, ServerMsg};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

const KILLS: usize = 5;
/// Acknowledged posts (all writers together) before each kill.
const PER_ROUND: usize = 30;

/// Posts without panicking when the server dies: true once acknowledged, false if the
/// connection went first.
async fn try_post(c: &mut Client, conversation: ConversationId, n: u32) -> bool {
    let req_id = c.req();
    let frame = ClientMsg::Chat(ClientChat::Post {
        req_id,
        conversation,
        client_id: ClientMsgId(format!("{}-{n}", c.me.username)),
        text: format!("{} {n}", c.me.username),
    });
    let text = serde_json::to_string(&frame).expect("encode");
    if c.ws.send(Message::text(text)).await.is_err() {
        return false;
    }
    loop {
        let Ok(Some(Ok(Message::Text(t)))) = tokio::time::timeout(DEADLINE, c.ws.next()).await
        else {
            return false;
        };
        match serde_json::from_str::<ServerMsg>(&t).expect("decodes") {
            ServerMsg::Session(ServerSession::Ack { req_id: r }) if r == req_id => return true,
            ServerMsg::Session(ServerSession::Error {
                req_id: Some(r),
                message,
                ..
            }) if r == req_id => {
                panic!("post refused: {message}")
            }
            _ => {}
        }
    }
}

/// One writer's round: post `next`, `next + 1`, ... until the server dies; returns the next
/// number to post (an unanswered one is posted again, same client id, next round).
async fn write(mut c: Client, conv: ConversationId, mut next: u32, acked: Arc<AtomicUsize>) -> u32 {
    while try_post(&mut c, conv, next).await {
        next += 1;
        acked.fetch_add(1, Ordering::SeqCst);
    }
    next
}

/// Everything in `conv`, oldest first, by `sync` from the start.
async fn everything(c: &mut Client, conv: ConversationId) -> Vec<(Seq, String)> {
    let req_id = c.req();
    c.send(ClientMsg::Chat(ClientChat::Sync {
        req_id,
        cursors: vec![Cursor {
            conversation: conv,
            after: Seq(0),
        }],
    }))
    .await;
    c.answer(req_id).await.expect("sync");
    c.drain_backlog()
        .into_iter()
        .filter_map(|m| match m {
            ServerMsg::Chat(ServerChat::Posted { message }) if message.conversation == conv => {
                Some((message.seq, message.text))
            }
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_kill_9_lose_duplicate_and_reorder_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = env!("CARGO_BIN_EXE_hearth");
    let first = HearthProcess::start(bin, dir.path());
    let server = TestServer::external(first.addr);
    let mut reader = server.user("reader").await;
    let mut writers = Vec::new();
    for name in ["ann", "ben", "cat"] {
        let mut w = server.user(name).await;
        let conv = befriend(&mut reader, &mut w).await;
        writers.push((w.cookie.clone(), conv, 0u32));
    }
    drop(first);

    for round in 0..KILLS {
        let proc = HearthProcess::start(bin, dir.path());
        let server = TestServer::external(proc.addr);
        let acked = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for (cookie, conv, next) in &writers {
            let c = Client::connect(&server, cookie).await;
            tasks.push(tokio::spawn(write(c, *conv, *next, acked.clone())));
        }
        let deadline = Instant::now() + DEADLINE;
        while acked.load(Ordering::SeqCst) < PER_ROUND {
            assert!(Instant::now() < deadline, "round {round}: posts stalled");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        drop(proc); // SIGKILL, posts in flight
        for (task, w) in tasks.into_iter().zip(writers.iter_mut()) {
            w.2 = task.await.expect("writer");
        }
    }

    let proc = HearthProcess::start(bin, dir.path());
    let server = TestServer::external(proc.addr);
    let mut reader = Client::connect(&server, &reader.cookie.clone()).await;
    for (cookie, conv, next) in &writers {
        let name = Client::connect(&server, cookie).await.me.username;
        let got = everything(&mut reader, *conv).await;
        let stored = got.len() as u32;
        assert!(
            stored == *next || stored == *next + 1,
            "{name}: {stored} stored, {next} acknowledged"
        );
        eprintln!("{name}: {next} acknowledged across {KILLS} kills, {stored} stored");
        let expected: Vec<(Seq, String)> = (0..stored)
            .map(|n| (Seq(n + 1), format!("{name} {n}")))
            .collect();
        assert_eq!(
            got, expected,
            "{name}: every message once, in order, no gap"
        );
    }
    drop(proc);
    let db = rusqlite::Connection::open(dir.path().join("hearth.db")).expect("open");
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok");
}
