//! The messenger's live wiring: the socket, requests in flight, sync cursors, and the routing
//! of each server message to its store. Not render state: it lives as long as the page.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use gloo::timers::callback::Timeout;
use yew::{UseReducerDispatcher, UseStateSetter};

mod calls;
mod refusals;

use crate::services::outbox::{self, Pending};
use crate::services::socket::{ConnStatus, Socket, SocketEvent};
use crate::state::chat::{ChatAction, ChatState, Typing};
use crate::state::friends::{FriendsAction, FriendsState};
use crate::state::rooms::{RoomsAction, RoomsState};
use crate::webrtc::call::CallController;
use crate::webrtc::mesh::MeshCall;
use hearth_shared::call::IceServer;
use hearth_shared::chat::{ClientChat, Cursor, Message, ServerChat};
use hearth_shared::friends::ServerFriends;
use hearth_shared::rooms::ServerRooms;
use hearth_shared::session::{ErrorCode, ServerSession, UserPublic};
use hearth_shared::{ClientMsg, ClientMsgId, ConversationId, ReqId, Seq, ServerMsg, UserId};

/// How long "typing…" shows after the last typing event.
const TYPING_SHOWN_MS: u32 = 5_000;
/// The size of a history page.
pub const PAGE: u32 = 50;

/// What a request in flight was for, to route its `Error`.
#[derive(Debug, Clone)]
enum Intent {
    Post(ClientMsgId),
    Friends,
    Rooms,
    Call,
    JoinRoom,
    History(ConversationId),
    Other,
}

/// The wiring; see the module docs.
pub struct Link {
    pub me: UserPublic,
    pub socket: RefCell<Option<Socket>>,
    pub chat: UseReducerDispatcher<ChatState>,
    pub friends: UseReducerDispatcher<FriendsState>,
    pub rooms: UseReducerDispatcher<RoomsState>,
    pub status: UseStateSetter<ConnStatus>,
    next_req: Cell<u32>,
    in_flight: RefCell<HashMap<ReqId, Intent>>,
    /// Newest message held per loaded conversation (what `Sync` asks after).
    cursors: RefCell<HashMap<ConversationId, Seq>>,
    loading: RefCell<HashSet<ConversationId>>,
    pub active: Cell<Option<ConversationId>>,
    welcomed: Cell<bool>,
    typing_token: Cell<u32>,
    typing_timers: RefCell<HashMap<ConversationId, Timeout>>,
    pub last_typing_sent: Cell<f64>,
    /// This link itself, for timers that call back into it.
    pub weak_self: RefCell<std::rc::Weak<Link>>,
    /// Resends the outbox once the server's budget for posts has refilled.
    resend_timer: RefCell<Option<Timeout>>,
    /// The call controller, once `use_call` has set it up.
    pub call: RefCell<Option<CallController>>,
    /// The room call controller, once `use_mesh` has set it up.
    pub mesh: RefCell<Option<MeshCall>>,
    ice_servers: RefCell<Vec<IceServer>>,
}

fn page_hidden() -> bool {
    gloo::utils::document().hidden()
}

impl Link {
    /// New wiring for `me`.
    pub fn new(
        me: UserPublic,
        chat: UseReducerDispatcher<ChatState>,
        friends: UseReducerDispatcher<FriendsState>,
        rooms: UseReducerDispatcher<RoomsState>,
        status: UseStateSetter<ConnStatus>,
    ) -> Link {
        Link {
            me,
            socket: RefCell::new(None),
            chat,
            friends,
            rooms,
            status,
            next_req: Cell::new(0),
            in_flight: RefCell::default(),
            cursors: RefCell::default(),
            loading: RefCell::default(),
            active: Cell::new(None),
            welcomed: Cell::new(false),
            typing_token: Cell::new(0),
            typing_timers: RefCell::default(),
            last_typing_sent: Cell::new(0.0),
            weak_self: RefCell::default(),
            resend_timer: RefCell::default(),
            call: RefCell::new(None),
            mesh: RefCell::new(None),
            ice_servers: RefCell::default(),
        }
    }

    /// Sends if connected; false otherwise.
    pub fn send(&self, msg: ClientMsg) -> bool {
        self.socket.borrow().as_ref().is_some_and(|s| s.send(&msg))
    }

    fn request(&self, intent: Intent, make: impl FnOnce(ReqId) -> ClientMsg) -> bool {
        let req = ReqId(self.next_req.get() + 1);
        self.next_req.set(req.0);
        let sent = self.send(make(req));
        if sent {
            self.in_flight.borrow_mut().insert(req, intent);
        }
        sent
    }

    /// Sends a rooms command; false when offline.
    pub fn rooms_request(&self, make: impl FnOnce(ReqId) -> ClientMsg) -> bool {
        self.request(Intent::Rooms, make)
    }

    /// Sends a friends command; false when offline.
    pub fn friends_request(&self, make: impl FnOnce(ReqId) -> ClientMsg) -> bool {
        self.request(Intent::Friends, make)
    }

    /// Sends one outbox entry (kept in the outbox until the server stores it). While the
    /// server has asked to wait, it only joins the outbox: the resend sends all in order.
    pub fn post(&self, p: &Pending) {
        if self.resend_timer.borrow().is_some() {
            return;
        }
        let (conversation, client_id, text) = (p.conversation, p.client_id.clone(), p.text.clone());
        self.request(Intent::Post(client_id.clone()), |req_id| {
            ClientMsg::Chat(ClientChat::Post {
                req_id,
                conversation,
                client_id,
                text,
            })
        });
    }

    /// Asks for a page of history unless one is already on its way.
    pub fn load_page(&self, conversation: ConversationId, before: Option<Seq>) {
        if !self.loading.borrow_mut().insert(conversation) {
            return;
        }
        let sent = self.request(Intent::History(conversation), |req_id| {
            ClientMsg::Chat(ClientChat::History {
                req_id,
                conversation,
                before,
                limit: PAGE,
            })
        });
        if sent {
            self.chat.dispatch(ChatAction::Loading(conversation));
        } else {
            self.loading.borrow_mut().remove(&conversation);
        }
    }

    /// Whether the newest page of a conversation is here.
    pub fn is_loaded(&self, conversation: ConversationId) -> bool {
        self.cursors.borrow().contains_key(&conversation)
    }

    /// Tells the server the user has seen everything loaded in `conversation`.
    pub fn mark_read(&self, conversation: ConversationId) {
        let seq = self.cursors.borrow().get(&conversation).copied();
        if let Some(seq) = seq.filter(|s| s.0 > 0) {
            self.send(ClientMsg::Chat(ClientChat::Read { conversation, seq }));
        }
    }

    /// Handles one event from the socket.
    pub fn on_event(&self, event: SocketEvent) {
        match event {
            SocketEvent::Status(s) => {
                if let (ConnStatus::Reconnecting { .. }, Some(mesh)) =
                    (s, self.mesh.borrow().clone())
                {
                    mesh.connection_lost();
                }
                if let Some(ctl) = self.call_ctl() {
                    match s {
                        ConnStatus::Reconnecting { .. } => ctl.connection_lost(),
                        ConnStatus::LoggedOut => ctl.logged_out(),
                        _ => {}
                    }
                }
                self.status.set(s);
            }
            SocketEvent::Message(msg) => self.on_message(msg),
        }
    }

    fn on_message(&self, msg: ServerMsg) {
        match msg {
            ServerMsg::Session(s) => self.on_session(s),
            ServerMsg::Friends(ServerFriends::Roster(r)) => {
                crate::services::cache::save_roster(self.me.id, &r);
                self.chat.dispatch(ChatAction::Roster(r.friends.clone()));
                self.friends.dispatch(FriendsAction::Roster(r));
            }
            ServerMsg::Friends(ServerFriends::Presence { user, online }) => {
                self.friends.dispatch(FriendsAction::Presence(user, online));
            }
            ServerMsg::Chat(c) => self.on_chat(c),
            ServerMsg::Call(c) => self.on_call(c),
            ServerMsg::Rooms(ServerRooms::Rooms { rooms }) => {
                self.chat.dispatch(ChatAction::Rooms(rooms.clone()));
                self.rooms.dispatch(RoomsAction::List(rooms));
            }
            ServerMsg::Rooms(ServerRooms::Unknown)
            | ServerMsg::Friends(ServerFriends::Unknown)
            | ServerMsg::Unknown => {}
        }
    }

    fn on_session(&self, s: ServerSession) {
        match s {
            ServerSession::Welcome { ice_servers, .. } => {
                self.set_ice_servers(ice_servers);
                self.friends.dispatch(FriendsAction::ForgetLive);
                self.on_welcome();
                if let Some(ctl) = self.call_ctl() {
                    ctl.reconnected();
                }
                if let Some(mesh) = self.mesh.borrow().clone() {
                    mesh.reconnected();
                }
            }
            ServerSession::IceServers { ice_servers } => self.set_ice_servers(ice_servers),
            ServerSession::Ack { req_id } => {
                self.in_flight.borrow_mut().remove(&req_id);
            }
            ServerSession::Error {
                call_id: _,
                req_id,
                code,
                message,
                retry_after_ms,
            } => {
                let intent = req_id.and_then(|r| self.in_flight.borrow_mut().remove(&r));
                match (intent, retry_after_ms) {
                    (Some(Intent::Post(_)), Some(ms)) if code == ErrorCode::RateLimited => {
                        self.resend_outbox_after(ms);
                    }
                    (intent, _) => self.on_error(intent.unwrap_or(Intent::Other), code, message),
                }
            }
            ServerSession::Pong | ServerSession::Unknown => {}
        }
    }

    fn on_welcome(&self) {
        self.in_flight.borrow_mut().clear();
        self.loading.borrow_mut().clear();
        if self.welcomed.replace(true) {
            let cursors: Vec<Cursor> = self
                .cursors
                .borrow()
                .iter()
                .map(|(&conversation, &after)| Cursor {
                    conversation,
                    after,
                })
                .collect();
            if !cursors.is_empty() {
                self.request(Intent::Other, |req_id| {
                    ClientMsg::Chat(ClientChat::Sync { req_id, cursors })
                });
            }
        }
        for p in outbox::load(self.me.id) {
            self.post(&p);
        }
        if let Some(active) = self.active.get().filter(|c| !self.is_loaded(*c)) {
            self.load_page(active, None);
        }
    }

    fn on_chat(&self, c: ServerChat) {
        match c {
            ServerChat::Posted { message } => self.on_posted(message),
            ServerChat::Page {
                conversation,
                messages,
                has_more,
                ..
            } => {
                self.loading.borrow_mut().remove(&conversation);
                let newest = messages.iter().map(|m| m.seq).max().unwrap_or_default();
                let mut cursors = self.cursors.borrow_mut();
                let cursor = cursors.entry(conversation).or_default();
                *cursor = (*cursor).max(newest);
                drop(cursors);
                self.chat.dispatch(ChatAction::Page {
                    conversation,
                    messages,
                    has_more,
                });
                if self.active.get() == Some(conversation) && !page_hidden() {
                    self.mark_read(conversation);
                }
            }
            ServerChat::Typing { conversation, user } => self.on_typing(conversation, user),
            ServerChat::Marks {
                conversation,
                user,
                delivered,
                read,
            } => {
                self.chat.dispatch(ChatAction::Marks {
                    conversation,
                    user,
                    delivered,
                    read,
                });
            }
            ServerChat::Unknown => {}
        }
    }

    fn on_posted(&self, m: Message) {
        let conversation = m.conversation;
        if let Some(cursor) = self.cursors.borrow_mut().get_mut(&conversation) {
            *cursor = (*cursor).max(m.seq);
        }
        let from_friend = m.author != self.me.id;
        if from_friend {
            self.send(ClientMsg::Chat(ClientChat::Delivered {
                conversation,
                seq: m.seq,
            }));
        } else {
            remove_from_outbox(self.me.id, &m.client_id);
        }
        self.chat.dispatch(ChatAction::Posted(m));
        if from_friend && self.active.get() == Some(conversation) && !page_hidden() {
            self.mark_read(conversation);
        }
    }

    fn on_typing(&self, conversation: ConversationId, user: UserId) {
        let token = self.typing_token.get() + 1;
        self.typing_token.set(token);
        self.chat
            .dispatch(ChatAction::Typing(conversation, Typing { user, token }));
        let chat = self.chat.clone();
        let timer = Timeout::new(TYPING_SHOWN_MS, move || {
            chat.dispatch(ChatAction::TypingExpired(conversation, token));
        });
        // Replacing the previous timer cancels it; only the newest clears the indicator.
        self.typing_timers.borrow_mut().insert(conversation, timer);
    }
}

/// Drops a message from the saved outbox.
pub fn remove_from_outbox(me: hearth_shared::UserId, id: &ClientMsgId) {
    let mut saved = outbox::load(me);
    let before = saved.len();
    saved.retain(|p| &p.client_id != id);
    if saved.len() != before {
        outbox::save(me, &saved);
    }
}
