//! `use_messenger()`: connects once per signed-in page and returns a handle with the state
//! to render and intent methods (`send_message`, `open`, `add_friend`, ...).

mod rooms;

use std::rc::{Rc, Weak};

use yew::prelude::*;

use super::link::{remove_from_outbox, Link};
use crate::services::outbox::{self, Pending};
use crate::services::socket::{default_url, ConnStatus, Socket};
use crate::services::{new_client_id, now_ms};
use crate::state::chat::{ChatAction, ChatState};
use crate::state::friends::{FriendsAction, FriendsState};
use crate::state::rooms::RoomsState;
use hearth_shared::chat::ClientChat;
use hearth_shared::friends::ClientFriends;
use hearth_shared::session::UserPublic;
use hearth_shared::{ClientMsg, ClientMsgId, ConversationId, ReqId, UserId};

/// Typing events are sent at most this often.
const TYPING_EVERY_MS: f64 = 3_000.0;

/// The messenger as a component sees it.
#[derive(Clone)]
pub struct Messenger {
    /// The connection.
    pub status: ConnStatus,
    /// Friends and requests.
    pub friends: UseReducerHandle<FriendsState>,
    /// Conversations and the outbox.
    pub chat: UseReducerHandle<ChatState>,
    /// The rooms the user is in.
    pub rooms: UseReducerHandle<RoomsState>,
    link: Rc<Link>,
}

impl PartialEq for Messenger {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.friends == other.friends
            && self.chat == other.chat
            && self.rooms == other.rooms
    }
}

/// Connects as `me` and keeps the stores up to date until unmounted.
#[hook]
pub fn use_messenger(me: UserPublic) -> Messenger {
    let status = use_state(|| ConnStatus::Connecting);
    let friends = use_reducer(FriendsState::default);
    let chat = use_reducer(ChatState::default);
    let rooms = use_reducer(RoomsState::default);
    let link = {
        let (chat, friends, status) = (chat.dispatcher(), friends.dispatcher(), status.setter());
        let rooms = rooms.dispatcher();
        let me = me.clone();
        use_memo((), move |_| Link::new(me, chat, friends, rooms, status))
    };
    {
        let link = link.clone();
        let (chat, friends) = (chat.dispatcher(), friends.dispatcher());
        use_effect_with((), move |_| {
            chat.dispatch(ChatAction::Start(link.me.id, outbox::load(link.me.id)));
            if let Some(roster) = crate::services::cache::load_roster(link.me.id) {
                chat.dispatch(ChatAction::Roster(roster.friends.clone()));
                friends.dispatch(FriendsAction::Roster(roster));
            }
            let weak: Weak<Link> = Rc::downgrade(&link);
            link.weak_self.replace(weak.clone());
            let socket = Socket::connect(default_url(), move |event| {
                if let Some(link) = weak.upgrade() {
                    link.on_event(event);
                }
            });
            link.socket.replace(Some(socket));
            move || drop(link.socket.take())
        });
    }
    Messenger {
        status: *status,
        friends,
        chat,
        rooms,
        link,
    }
}

impl Messenger {
    /// The STUN/TURN servers the server gave (with this user's TURN credentials).
    pub fn ice_servers(&self) -> Vec<hearth_shared::call::IceServer> {
        self.link.ice_servers()
    }

    /// The signed-in user.
    pub fn me(&self) -> &UserPublic {
        &self.link.me
    }

    /// Writes a message: it goes into the saved outbox at once and out when connected.
    pub fn send_message(&self, conversation: ConversationId, text: String) {
        let text = text.trim().to_owned();
        if text.is_empty() {
            return;
        }
        let pending = Pending {
            conversation,
            client_id: new_client_id(),
            text,
            created_ms: now_ms(),
        };
        let me = self.link.me.id;
        let mut saved = outbox::load(me);
        saved.push(pending.clone());
        outbox::save(me, &saved);
        self.chat.dispatch(ChatAction::Queue(pending.clone()));
        self.link.post(&pending);
    }

    /// Gives up on a message the server refused.
    pub fn discard(&self, id: ClientMsgId) {
        remove_from_outbox(self.link.me.id, &id);
        self.chat.dispatch(ChatAction::Discard(id));
    }

    /// Shows a conversation: loads its newest page once, and marks it read.
    pub fn open(&self, conversation: ConversationId) {
        self.link.active.set(Some(conversation));
        self.chat.dispatch(ChatAction::Open(conversation));
        if self.link.is_loaded(conversation) {
            self.link.mark_read(conversation);
        } else {
            self.link.load_page(conversation, None);
        }
    }

    /// Leaves the conversation view (phone layout).
    pub fn close(&self) {
        self.link.active.set(None);
        self.chat.dispatch(ChatAction::Close);
    }

    /// Loads the page before the oldest loaded message.
    pub fn load_older(&self, conversation: ConversationId) {
        let oldest = self
            .chat
            .conv(conversation)
            .and_then(|c| c.messages.keys().next());
        if let Some(before) = oldest {
            self.link.load_page(conversation, Some(before));
        }
    }

    /// The user is typing (sent at most every three seconds).
    pub fn typing(&self, conversation: ConversationId) {
        let now = now_ms();
        if now - self.link.last_typing_sent.get() >= TYPING_EVERY_MS {
            self.link.last_typing_sent.set(now);
            self.link
                .send(ClientMsg::Chat(ClientChat::Typing { conversation }));
        }
    }

    fn friends_cmd(&self, make: impl FnOnce(ReqId) -> ClientFriends) {
        self.friends.dispatch(FriendsAction::ClearError);
        if !self
            .link
            .friends_request(|req| ClientMsg::Friends(make(req)))
        {
            self.friends.dispatch(FriendsAction::Failed(
                "You are offline; try again once connected.".into(),
            ));
        }
    }

    /// Sends a friend request by exact username.
    pub fn add_friend(&self, username: String) {
        let username = username.trim().to_owned();
        if !username.is_empty() {
            self.friends_cmd(|req_id| ClientFriends::Request { req_id, username });
        }
    }

    /// Accepts a request.
    pub fn accept(&self, user: UserId) {
        self.friends_cmd(|req_id| ClientFriends::Accept { req_id, user });
    }

    /// Declines a request.
    pub fn decline(&self, user: UserId) {
        self.friends_cmd(|req_id| ClientFriends::Decline { req_id, user });
    }

    /// Withdraws a sent request.
    pub fn cancel(&self, user: UserId) {
        self.friends_cmd(|req_id| ClientFriends::Cancel { req_id, user });
    }

    /// Ends a friendship.
    pub fn remove(&self, user: UserId) {
        self.friends_cmd(|req_id| ClientFriends::Remove { req_id, user });
    }

    /// The wiring, for `use_call`.
    pub(crate) fn link(&self) -> Rc<Link> {
        self.link.clone()
    }
}
