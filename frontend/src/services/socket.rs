//! The WebSocket client: `Hello` handshake, heartbeat, and reconnection with exponential
//! backoff (plus an immediate retry when the browser says it is back online).
//!
//! Events go out through one callback. It is never called while the client's own state is
//! borrowed, so the receiver may call `send` from inside it.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo::events::EventListener;
use gloo::timers::callback::{Interval, Timeout};
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use hearth_shared::session::{ClientSession, ServerSession};
use hearth_shared::{ClientMsg, ServerMsg, PROTOCOL_VERSION};

/// The connection as the user sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnStatus {
    /// First attempt under way.
    Connecting,
    /// Handshake done; messages flow.
    Connected,
    /// Lost; the next attempt starts in `in_ms`.
    Reconnecting {
        /// How many attempts failed in a row.
        attempt: u32,
        /// Milliseconds until the next attempt.
        in_ms: u32,
    },
    /// The server ended this session (log out elsewhere); no retry.
    LoggedOut,
}

/// What the client reports.
#[derive(Debug, Clone)]
pub enum SocketEvent {
    /// The connection changed state.
    Status(ConnStatus),
    /// A message from the server (`Pong` is handled here and not reported).
    Message(ServerMsg),
}

type Handler = Rc<dyn Fn(SocketEvent)>;

/// How long the server has to answer `Hello`.
const HANDSHAKE_MS: u32 = 10_000;

struct Inner {
    url: String,
    handler: Handler,
    ws: Option<WebSocket>,
    listeners: Vec<EventListener>,
    heartbeat: Option<Interval>,
    retry: Option<Timeout>,
    handshake: Option<Timeout>,
    online: Option<EventListener>,
    attempt: u32,
    ready: bool,
    stopped: bool,
    last_heard_ms: f64,
    timeout_ms: f64,
}

/// A self-healing connection to `/ws`. Dropping it closes the socket.
pub struct Socket {
    inner: Rc<RefCell<Inner>>,
}

/// The WebSocket URL of the page's own server (`wss:` when the page is `https:`).
pub fn default_url() -> String {
    let loc = web_sys::window().map(|w| w.location());
    let host = loc.as_ref().and_then(|l| l.host().ok()).unwrap_or_default();
    let secure = loc
        .and_then(|l| l.protocol().ok())
        .is_some_and(|p| p == "https:");
    format!("{}://{host}/ws", if secure { "wss" } else { "ws" })
}

/// Backoff before attempt `attempt` (0-based): 0.5 s doubling to 30 s, with jitter so a
/// restarted server is not hit by every client at once.
pub fn backoff_ms(attempt: u32, jitter: f64) -> u32 {
    let base = 500f64 * 2f64.powi(attempt.min(6) as i32);
    (base.min(30_000.0) * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))) as u32
}

fn emit(inner: &Rc<RefCell<Inner>>, event: SocketEvent) {
    let handler = inner.borrow().handler.clone();
    handler(event);
}

fn send_text(inner: &Rc<RefCell<Inner>>, msg: &ClientMsg) -> bool {
    let me = inner.borrow();
    match (&me.ws, serde_json::to_string(msg)) {
        (Some(ws), Ok(json)) if ws.ready_state() == WebSocket::OPEN => {
            ws.send_with_str(&json).is_ok()
        }
        _ => false,
    }
}

fn open(rc: &Rc<RefCell<Inner>>) {
    if rc.borrow().stopped {
        return;
    }
    let url = rc.borrow().url.clone();
    let ws = match WebSocket::new(&url) {
        Ok(ws) => ws,
        Err(_) => return schedule_retry(rc),
    };
    let weak = Rc::downgrade(rc);
    let on_open = EventListener::new(&ws, "open", {
        let weak = weak.clone();
        move |_| {
            if let Some(rc) = weak.upgrade() {
                send_text(
                    &rc,
                    &ClientMsg::Session(ClientSession::Hello {
                        protocol: PROTOCOL_VERSION,
                    }),
                );
                watch_handshake(&rc);
            }
        }
    });
    let on_message = EventListener::new(&ws, "message", {
        let weak = weak.clone();
        move |e| {
            let text = e
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string());
            if let (Some(rc), Some(text)) = (weak.upgrade(), text) {
                received(&rc, &text);
            }
        }
    });
    let on_close = EventListener::new(&ws, "close", move |e| {
        let code = e.dyn_ref::<CloseEvent>().map_or(1006, |c| c.code());
        if let Some(rc) = weak.upgrade() {
            closed(&rc, code);
        }
    });
    let mut me = rc.borrow_mut();
    me.ws = Some(ws);
    me.listeners = vec![on_open, on_message, on_close];
}

/// Gives the server a few seconds to answer `Hello`; a silent socket is dropped and retried.
fn watch_handshake(rc: &Rc<RefCell<Inner>>) {
    let weak = Rc::downgrade(rc);
    let timer = Timeout::new(HANDSHAKE_MS, move || {
        let Some(rc) = weak.upgrade() else { return };
        let me = rc.borrow();
        if !me.ready {
            if let Some(ws) = &me.ws {
                let _ = ws.close();
            }
        }
    });
    rc.borrow_mut().handshake = Some(timer);
}

fn received(rc: &Rc<RefCell<Inner>>, text: &str) {
    rc.borrow_mut().last_heard_ms = crate::services::now_ms();
    let msg = match ServerMsg::from_json(text) {
        Ok(m) => m,
        // The frame, not serde_json's error text (which would bring all its messages into
        // the bundle).
        Err(_) => return gloo::console::warn!("unreadable frame from the server:", text),
    };
    match &msg {
        ServerMsg::Session(ServerSession::Pong) => return,
        ServerMsg::Session(ServerSession::Welcome { heartbeat, .. }) => {
            start_heartbeat(rc, heartbeat.interval_ms, heartbeat.timeout_ms);
            {
                let mut me = rc.borrow_mut();
                me.ready = true;
                me.attempt = 0;
            }
            emit(rc, SocketEvent::Status(ConnStatus::Connected));
        }
        _ => {}
    }
    emit(rc, SocketEvent::Message(msg));
}

fn start_heartbeat(rc: &Rc<RefCell<Inner>>, interval_ms: u32, timeout_ms: u32) {
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
    let interval = Interval::new(interval_ms.max(1000), move || {
        let Some(rc) = weak.upgrade() else { return };
        let silent_for = crate::services::now_ms() - rc.borrow().last_heard_ms;
        if silent_for > rc.borrow().timeout_ms {
            // The server (or the network) went quiet: drop the socket; `close` reconnects.
            if let Some(ws) = &rc.borrow().ws {
                let _ = ws.close();
            }
        } else {
            send_text(&rc, &ClientMsg::Session(ClientSession::Ping));
        }
    });
    let mut me = rc.borrow_mut();
    me.timeout_ms = f64::from(timeout_ms);
    me.heartbeat = Some(interval);
}

fn closed(rc: &Rc<RefCell<Inner>>, code: u16) {
    {
        let mut me = rc.borrow_mut();
        me.ready = false;
        me.heartbeat = None;
        me.ws = None;
        // The listeners stay until the next `open` replaces them: this runs inside one.
        if me.stopped {
            return;
        }
        if code == 4001 {
            me.stopped = true;
        }
    }
    if code == 4001 {
        emit(rc, SocketEvent::Status(ConnStatus::LoggedOut));
    } else {
        schedule_retry(rc);
    }
}

fn schedule_retry(rc: &Rc<RefCell<Inner>>) {
    let (attempt, delay) = {
        let me = rc.borrow();
        (me.attempt, backoff_ms(me.attempt, js_sys::Math::random()))
    };
    let weak = Rc::downgrade(rc);
    let timer = Timeout::new(delay, move || {
        if let Some(rc) = weak.upgrade() {
            open(&rc);
        }
    });
    {
        let mut me = rc.borrow_mut();
        me.attempt += 1;
        me.retry = Some(timer);
    }
    emit(
        rc,
        SocketEvent::Status(ConnStatus::Reconnecting {
            attempt: attempt + 1,
            in_ms: delay,
        }),
    );
}

impl Socket {
    /// Connects to `url` and keeps the connection up until dropped or logged out.
    pub fn connect(url: String, handler: impl Fn(SocketEvent) + 'static) -> Socket {
        let inner = Rc::new(RefCell::new(Inner {
            url,
            handler: Rc::new(handler),
            ws: None,
            listeners: Vec::new(),
            heartbeat: None,
            retry: None,
            handshake: None,
            online: None,
            attempt: 0,
            ready: false,
            stopped: false,
            last_heard_ms: crate::services::now_ms(),
            timeout_ms: 45_000.0,
        }));
        if let Some(window) = web_sys::window() {
            let weak = Rc::downgrade(&inner);
            let online = EventListener::new(&window, "online", move |_| {
                let Some(rc) = weak.upgrade() else { return };
                let waiting = rc.borrow_mut().retry.take().is_some() && rc.borrow().ws.is_none();
                if waiting {
                    open(&rc);
                }
            });
            inner.borrow_mut().online = Some(online);
        }
        emit(&inner, SocketEvent::Status(ConnStatus::Connecting));
        open(&inner);
        Socket { inner }
    }

    /// Sends a message if the handshake is done; false otherwise (the caller keeps it for
    /// the next connection).
    pub fn send(&self, msg: &ClientMsg) -> bool {
        self.inner.borrow().ready && send_text(&self.inner, msg)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        let mut me = self.inner.borrow_mut();
        me.stopped = true;
        me.retry = None;
        me.handshake = None;
        me.heartbeat = None;
        if let Some(ws) = me.ws.take() {
            let _ = ws.close();
        }
        me.listeners.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_to_a_cap_with_jitter() {
        assert_eq!(backoff_ms(0, 1.0), 500);
        assert_eq!(backoff_ms(1, 1.0), 1000);
        assert_eq!(backoff_ms(3, 1.0), 4000);
        assert_eq!(backoff_ms(20, 1.0), 30_000);
        assert_eq!(backoff_ms(0, 0.0), 250, "jitter takes off up to half");
    }
}
