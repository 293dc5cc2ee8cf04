//! The typed WebSocket test client: typed commands with request ids, and waiting (with a
//! deadline) for the first message that matches, keeping the others for later.

use futures_util::{SinkExt, StreamExt};
use hearth_shared::chat::{ClientChat, ServerChat};
use hearth_shared::friends::{ClientFriends, Roster, ServerFriends};
use hearth_shared::session::{ClientSession, ErrorCode, ServerSession, UserPublic};
use hearth_shared::{ClientMsg, ClientMsgId, ConversationId, ReqId, ServerMsg};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{open_ws, TestServer, DEADLINE};

/// A signed-in WebSocket client.
pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub me: UserPublic,
    pub cookie: String,
    /// Messages received but not yet picked by `recv_until`, oldest first.
    backlog: std::collections::VecDeque<ServerMsg>,
    next_req: u32,
    next_msg: u32,
    /// Makes this client's message ids differ from another client's of the same user.
    nonce: u32,
}

impl Client {
    pub async fn connect(server: &TestServer, cookie: &str) -> Client {
        let ws = open_ws(server, Some(&server.origin()), Some(cookie))
            .await
            .expect("upgrade");
        let mut c = Client::raw(ws, cookie);
        c.send(ClientMsg::Session(ClientSession::Hello {
            protocol: hearth_shared::PROTOCOL_VERSION,
        }))
        .await;
        match c.recv().await {
            ServerMsg::Session(ServerSession::Welcome { user, .. }) => c.me = user,
            other => panic!("expected welcome, got {other:?}"),
        }
        c
    }

    /// Wraps a socket that has not done the handshake.
    pub fn raw(ws: WebSocketStream<MaybeTlsStream<TcpStream>>, cookie: &str) -> Client {
        Client {
            ws,
            me: UserPublic {
                id: hearth_shared::UserId(0),
                username: String::new(),
            },
            cookie: cookie.to_owned(),
            backlog: Default::default(),
            next_req: 0,
            next_msg: 0,
            nonce: rand_nonce(),
        }
    }

    pub async fn send(&mut self, msg: ClientMsg) {
        let text = serde_json::to_string(&msg).expect("encode");
        self.send_raw(&text).await;
    }

    pub async fn send_binary(&mut self) {
        self.ws
            .send(Message::binary(vec![1u8, 2, 3]))
            .await
            .expect("send");
    }

    pub async fn send_raw(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.expect("send");
    }

    /// The next message, within the deadline.
    pub async fn recv(&mut self) -> ServerMsg {
        loop {
            let frame = tokio::time::timeout(DEADLINE, self.ws.next())
                .await
                .expect("a frame in time");
            match frame.expect("connection open").expect("frame") {
                Message::Text(t) => return serde_json::from_str(&t).expect("decodes"),
                Message::Close(c) => panic!("connection closed: {c:?}"),
                _ => continue,
            }
        }
    }

    /// The first message (backlog first, then the socket) that `pick` accepts, within the
    /// deadline. Messages it passes over stay in the backlog for later calls.
    pub async fn recv_until<T>(&mut self, mut pick: impl FnMut(&ServerMsg) -> Option<T>) -> T {
        if let Some(i) = self.backlog.iter().position(|m| pick(m).is_some()) {
            let msg = self.backlog.remove(i).expect("index valid");
            return pick(&msg).expect("matched before");
        }
        let deadline = tokio::time::Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let msg = tokio::time::timeout(left, self.recv())
                .await
                .expect("expected message in time");
            match pick(&msg) {
                Some(t) => return t,
                None => self.backlog.push_back(msg),
            }
        }
    }

    /// Whether a message received and not yet picked matches.
    pub fn backlog_has(&self, pred: impl Fn(&ServerMsg) -> bool) -> bool {
        self.backlog.iter().any(pred)
    }

    /// Forgets messages received so far and not picked.
    pub fn clear_backlog(&mut self) {
        self.backlog.clear();
    }

    /// Takes the messages received so far and not picked, oldest first.
    pub fn drain_backlog(&mut self) -> Vec<ServerMsg> {
        self.backlog.drain(..).collect()
    }

    /// Waits for the close frame; returns its code.
    pub async fn closed(&mut self) -> u16 {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.ws.next())
                .await
                .expect("closed in time")
            {
                Some(Ok(Message::Close(Some(f)))) => return f.code.into(),
                Some(Ok(Message::Close(None))) | None => return 1005,
                Some(Err(e)) => panic!("read error instead of a close frame: {e}"),
                Some(Ok(_)) => continue,
            }
        }
    }

    pub fn req(&mut self) -> ReqId {
        self.next_req += 1;
        ReqId(self.next_req)
    }

    /// Waits for the answer to `req`: Ok on Ack, the code on Error.
    pub async fn answer(&mut self, req: ReqId) -> Result<(), ErrorCode> {
        self.recv_until(|m| match m {
            ServerMsg::Session(ServerSession::Ack { req_id }) if *req_id == req => Some(Ok(())),
            ServerMsg::Session(ServerSession::Error {
                req_id: Some(r),
                code,
                ..
            }) if *r == req => Some(Err(*code)),
            _ => None,
        })
        .await
    }

    pub async fn roster(&mut self) -> Roster {
        self.recv_until(|m| match m {
            ServerMsg::Friends(ServerFriends::Roster(r)) => Some(r.clone()),
            _ => None,
        })
        .await
    }

    pub async fn friends_cmd(
        &mut self,
        make: impl FnOnce(ReqId) -> ClientFriends,
    ) -> Result<(), ErrorCode> {
        let req = self.req();
        self.send(ClientMsg::Friends(make(req))).await;
        self.answer(req).await
    }

    /// Posts with a fresh client id; returns the request's answer.
    pub async fn post(&mut self, conv: ConversationId, text: &str) -> Result<(), ErrorCode> {
        self.next_msg += 1;
        let id = ClientMsgId(format!(
            "{}-{}-{}",
            self.me.username, self.nonce, self.next_msg
        ));
        self.post_with_id(conv, id, text).await
    }

    pub async fn post_with_id(
        &mut self,
        conversation: ConversationId,
        client_id: ClientMsgId,
        text: &str,
    ) -> Result<(), ErrorCode> {
        let req_id = self.req();
        self.send(ClientMsg::Chat(ClientChat::Post {
            req_id,
            conversation,
            client_id,
            text: text.into(),
        }))
        .await;
        self.answer(req_id).await
    }

    /// The next `Posted` message.
    pub async fn posted(&mut self) -> hearth_shared::chat::Message {
        self.recv_until(|m| match m {
            ServerMsg::Chat(ServerChat::Posted { message }) => Some(message.clone()),
            _ => None,
        })
        .await
    }
}

fn rand_nonce() -> u32 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Makes `a` and `b` friends; returns their conversation.
pub async fn befriend(a: &mut Client, b: &mut Client) -> ConversationId {
    let name = b.me.username.clone();
    a.friends_cmd(|req_id| ClientFriends::Request {
        req_id,
        username: name,
    })
    .await
    .expect("request");
    let from = a.me.id;
    b.friends_cmd(|req_id| ClientFriends::Accept { req_id, user: from })
        .await
        .expect("accept");
    let a_id = a.me.id;
    let roster = b
        .recv_until(|m| match m {
            ServerMsg::Friends(ServerFriends::Roster(r))
                if r.friends.iter().any(|f| f.user.id == a_id) =>
            {
                Some(r.clone())
            }
            _ => None,
        })
        .await;
    let b_id = b.me.id;
    a.recv_until(|m| match m {
        ServerMsg::Friends(ServerFriends::Roster(r))
            if r.friends.iter().any(|f| f.user.id == b_id) =>
        {
            Some(())
        }
        _ => None,
    })
    .await;
    roster.friends[0].conversation
}
