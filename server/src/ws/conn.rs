//! One task per WebSocket: handshake, writer task, then a `select!` over inbound frames,
//! kicks (log out, slow consumer), the idle timeout and server shutdown.

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use tokio::sync::{mpsc, Notify};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;

mod writer;

use writer::{writer, CLOSE_GRACE};

use super::ctx::Ctx;
use super::reply::{Refusal, Reply};
use super::{call, call_outs, chat, friends, rooms, Socket};
use crate::hub::{ConnHandle, Frame, Kick};
use crate::limits::{Class, ConnLimits};
use crate::state::AppState;
use hearth_shared::chat::ClientChat;
use hearth_shared::session::{ClientSession, ErrorCode, Heartbeat, ServerSession, UserPublic};
use hearth_shared::{ClientMsg, MAX_FRAME_BYTES, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION};

/// Close codes the client can tell apart (4000-4999 are the application's).
mod close {
    pub const GOING_AWAY: u16 = 1001;
    pub const PROTOCOL_ERROR: u16 = 1002;
    pub const NOT_UTF8: u16 = 1007;
    pub const POLICY: u16 = 1008;
    pub const TOO_BIG: u16 = 1009;
    pub const LOGGED_OUT: u16 = 4001;
    pub const TOO_SLOW: u16 = 4002;
    pub const IDLE: u16 = 4003;
}

/// Who is on the other end of a connection.
#[derive(Clone)]
pub struct Client {
    /// The signed-in user.
    pub user: UserPublic,
    /// The hash of their session token.
    pub session: Vec<u8>,
    /// The host their browser reached us at (relays beside Hearth are announced on it).
    pub host: String,
}

enum Inbound {
    Text(String),
    /// Binary data: not part of the protocol.
    Binary,
    /// Ping or pong: alive, nothing to do (tungstenite answers pings).
    Alive,
    /// The client said goodbye (a close frame: the page closed or logged out).
    Goodbye,
    /// The connection broke without a goodbye (a network change, a dead peer).
    Lost,
    /// The client broke the WebSocket protocol: close with this code (RFC 6455 7.4.1).
    Broken(u16),
}

/// The close code for a read error that is the client's fault, if it is one.
fn fault_code(e: &tokio_tungstenite::tungstenite::Error) -> Option<u16> {
    use tokio_tungstenite::tungstenite::Error;
    match e {
        Error::Capacity(_) => Some(close::TOO_BIG),
        Error::Utf8(_) => Some(close::NOT_UTF8),
        Error::Protocol(_) => Some(close::PROTOCOL_ERROR),
        _ => None,
    }
}

/// How a connection ended: the close code to send, and whether the client meant to leave
/// (then a call it held ends at once; otherwise the call waits for it to come back).
struct Leaving {
    code: u16,
    meant: bool,
}

impl Leaving {
    fn meant(code: u16) -> Leaving {
        Leaving { code, meant: true }
    }

    fn lost(code: u16) -> Leaving {
        Leaving { code, meant: false }
    }
}

async fn next_frame(stream: &mut futures_util::stream::SplitStream<Socket>) -> Inbound {
    match stream.next().await {
        Some(Ok(Message::Text(t))) => Inbound::Text(t.as_str().to_owned()),
        Some(Ok(Message::Binary(_))) => Inbound::Binary,
        Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => Inbound::Alive,
        Some(Ok(Message::Close(_))) => Inbound::Goodbye,
        Some(Err(e)) => {
            tracing::debug!("websocket read: {e}");
            fault_code(&e).map_or(Inbound::Lost, Inbound::Broken)
        }
        None => Inbound::Lost,
    }
}

/// Serves one authenticated WebSocket until it closes. However it ends, the TCP connection
/// is gone within `CLOSE_GRACE` of that: a writer still stuck is aborted.
pub async fn serve(socket: Socket, state: AppState, client: Client) {
    let (sink, mut stream) = socket.split();
    let (tx, rx) = mpsc::channel::<Frame>(state.settings.send_queue);
    let (close_tx, close_rx) = tokio::sync::oneshot::channel();
    let (head_tx, head_rx) = tokio::sync::oneshot::channel();
    let timeout_ = state.settings.write_timeout;
    let mut writer = tokio::spawn(writer(sink, rx, Some(head_rx), close_rx, timeout_));
    let reply = Reply::new(tx, head_tx);
    let code = match handshake(&state, &reply, &mut stream).await {
        Ok(()) => run(state, reply.clone(), &mut stream, client).await,
        Err(code) => code,
    };
    reply.no_first();
    let _ = close_tx.send((code, "bye"));
    drop(reply);
    if timeout(CLOSE_GRACE, &mut writer).await.is_err() {
        writer.abort();
        let _ = writer.await;
    }
}

async fn handshake(
    state: &AppState,
    reply: &Reply,
    stream: &mut futures_util::stream::SplitStream<Socket>,
) -> Result<(), u16> {
    let first = timeout(state.settings.handshake_timeout, next_frame(stream)).await;
    let hello = match first {
        Ok(Inbound::Text(t)) => serde_json::from_str::<ClientMsg>(&t).ok(),
        Ok(Inbound::Goodbye | Inbound::Lost) => return Err(close::GOING_AWAY),
        Ok(Inbound::Broken(code)) => return Err(code),
        _ => None,
    };
    match hello {
        Some(ClientMsg::Session(ClientSession::Hello { protocol }))
            if (MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&protocol) =>
        {
            Ok(())
        }
        Some(ClientMsg::Session(ClientSession::Hello { protocol })) => {
            let msg = format!(
                "protocol {protocol} is not supported; this server speaks {MIN_PROTOCOL_VERSION} to {PROTOCOL_VERSION}"
            );
            reply.error(None, Refusal(ErrorCode::Handshake, msg)).await;
            Err(close::POLICY)
        }
        _ => {
            reply
                .error(
                    None,
                    Refusal::new(ErrorCode::Handshake, "the first frame must be hello"),
                )
                .await;
            Err(close::POLICY)
        }
    }
}

async fn run(
    state: AppState,
    reply: Reply,
    stream: &mut futures_util::stream::SplitStream<Socket>,
    client: Client,
) -> u16 {
    let kick = Arc::new(Notify::new());
    let reason = Arc::new(Mutex::new(None));
    let (conn, came_online) = state.hub.register(ConnHandle {
        user: client.user.id,
        session: client.session.clone(),
        tx: reply.sender(),
        kick: kick.clone(),
        reason: reason.clone(),
    });
    // The session may have ended (log-out) between the upgrade and `hello`, before this
    // socket could be kicked: now that it can be, ask again.
    // (Its friends were not told it came online: that happens after the welcome.)
    if !session_lives(&state, &client).await {
        state.hub.unregister(conn);
        return close::LOGGED_OUT;
    }
    let ctx = Ctx {
        state: state.clone(),
        user: client.user.clone(),
        reply,
        conn,
        host: client.host.clone(),
    };
    let leaving = greet_then_loop(&ctx, stream, came_online, &kick, &reason).await;
    let left = state.hub.unregister(conn);
    call_outs::on_disconnect(&state, conn, leaving.meant).await;
    if let Some((user, went_offline)) = left {
        if went_offline {
            friends::announce_presence(&ctx.state, user, false).await;
        }
    }
    leaving.code
}

async fn greet_then_loop(
    ctx: &Ctx,
    stream: &mut futures_util::stream::SplitStream<Socket>,
    came_online: bool,
    kick: &Notify,
    reason: &Mutex<Option<Kick>>,
) -> Leaving {
    let s = &ctx.state.settings;
    let heartbeat = Heartbeat {
        interval_ms: s.heartbeat_interval.as_millis() as u32,
        timeout_ms: s.idle_timeout.as_millis() as u32,
    };
    let welcome = ServerSession::Welcome {
        protocol: PROTOCOL_VERSION,
        user: ctx.user.clone(),
        heartbeat,
        ice_servers: ice_servers(ctx),
    };
    if !ctx.reply.send_first(welcome)
        || !friends::send_roster(ctx).await
        || !rooms::send_rooms(ctx).await
        || !rooms::send_friends_live(ctx).await
        || !chat::send_marks(ctx).await
    {
        return Leaving::lost(close::GOING_AWAY);
    }
    if came_online {
        friends::announce_presence(&ctx.state, ctx.user.id, true).await;
    }
    let mut shutdown = ctx.state.shutdown.subscribe();
    let stopping = async move {
        let _ = shutdown.wait_for(|stopping| *stopping).await;
    };
    tokio::pin!(stopping);
    let mut budget = ctx.state.commands.connection(std::time::Instant::now());
    let mut refresh = s.turn.as_ref().map(|t| {
        let every = t.refresh_every();
        tokio::time::interval_at(tokio::time::Instant::now() + every, every)
    });
    loop {
        tokio::select! {
            _ = tick(&mut refresh) => {
                if !ctx.reply.send(ServerSession::IceServers { ice_servers: ice_servers(ctx) }).await {
                    return Leaving::lost(close::GOING_AWAY);
                }
            }
            _ = kick.notified() => {
                let why = reason.lock().ok().and_then(|r| *r);
                return if why == Some(Kick::LoggedOut) {
                    Leaving::meant(close::LOGGED_OUT)
                } else {
                    Leaving::lost(close::TOO_SLOW)
                };
            }
            _ = &mut stopping => return Leaving::lost(close::GOING_AWAY),
            _ = ctx.reply.closed() => return Leaving::lost(close::GOING_AWAY),
            frame = timeout(ctx.state.settings.idle_timeout, next_frame(stream)) => match frame {
                Err(_) => return Leaving::lost(close::IDLE),
                Ok(Inbound::Goodbye) => return Leaving::meant(close::GOING_AWAY),
                Ok(Inbound::Lost) => return Leaving::lost(close::GOING_AWAY),
                Ok(Inbound::Broken(code)) => return Leaving::lost(code),
                Ok(Inbound::Alive) => {}
                Ok(Inbound::Binary) => {
                    ctx.reply.error(None, Refusal::new(ErrorCode::BadFrame, "frames must be JSON text")).await;
                }
                Ok(Inbound::Text(text)) => {
                    if !dispatch(ctx, &text, &mut budget).await {
                        return Leaving::lost(close::GOING_AWAY);
                    }
                }
            },
        }
    }
}

/// Whether `client`'s session still exists (a store error counts as no).
async fn session_lives(state: &AppState, client: &Client) -> bool {
    matches!(
        state.store.session_user(client.session.clone()).await,
        Ok(Some(u)) if u.id == client.user.id
    )
}

/// The next tick of `every`, or never.
async fn tick(every: &mut Option<tokio::time::Interval>) {
    match every {
        Some(i) => {
            i.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// This user's STUN and TURN servers, with TURN credentials valid from now.
fn ice_servers(ctx: &Ctx) -> Vec<hearth_shared::call::IceServer> {
    let now = crate::turn::credentials::unix_now();
    ctx.state
        .settings
        .ice_servers_for(ctx.user.id, &ctx.host, now)
}

/// The `req_id` of a frame, if it has one that can be read (for answering a refusal).
fn req_id_in(text: &str) -> Option<hearth_shared::ReqId> {
    let v = serde_json::from_str::<serde_json::Value>(text).ok()?;
    serde_json::from_value(v.get("req_id")?.clone()).ok()
}

/// Handles one text frame within the connection's and the user's budgets; false if the
/// connection is gone.
async fn dispatch(ctx: &Ctx, text: &str, budget: &mut ConnLimits) -> bool {
    if text.len() > MAX_FRAME_BYTES {
        let msg = format!("frames are limited to {MAX_FRAME_BYTES} bytes");
        return ctx
            .reply
            .error(None, Refusal(ErrorCode::FrameTooLarge, msg))
            .await;
    }
    let msg = match serde_json::from_str::<ClientMsg>(text) {
        Ok(msg) => msg,
        Err(e) => {
            let refusal = Refusal(ErrorCode::BadFrame, format!("unreadable frame: {e}"));
            return ctx.reply.error(req_id_in(text), refusal).await;
        }
    };
    let class = Class::of(&msg);
    let now = std::time::Instant::now();
    let limits = &ctx.state.commands;
    let admitted = match &msg {
        ClientMsg::Chat(ClientChat::Post { client_id, .. }) => {
            limits.admit_post(budget, ctx.user.id, &client_id.0, now)
        }
        _ => limits.admit(budget, ctx.user.id, class, now),
    };
    if let Err(wait) = admitted {
        return ctx
            .reply
            .rate_limited(req_id_in(text), class.what(), wait)
            .await;
    }
    match msg {
        ClientMsg::Session(ClientSession::Ping) => ctx.reply.send(ServerSession::Pong).await,
        ClientMsg::Session(ClientSession::Hello { .. }) => {
            ctx.reply
                .error(
                    None,
                    Refusal::new(ErrorCode::Handshake, "hello was already received"),
                )
                .await
        }
        ClientMsg::Friends(cmd) => friends::handle(ctx, cmd).await,
        ClientMsg::Rooms(cmd) => rooms::handle(ctx, cmd).await,
        ClientMsg::Chat(cmd) => chat::handle(ctx, cmd).await,
        ClientMsg::Call(cmd) => call::handle(ctx, cmd).await,
    }
}
