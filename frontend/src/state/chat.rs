//! Conversations: loaded messages, the outbox, unread counts, read marks and typing.

use std::collections::HashMap;
use std::rc::Rc;

use yew::Reducible;

use crate::services::outbox::Pending;
use hearth_shared::call::{CallKind, CallOutcome, CallRecord};
use hearth_shared::chat::Message;
use hearth_shared::friends::Friend;
use hearth_shared::rooms::Room;
use hearth_shared::{ClientMsgId, ConversationId, Seq, UserId};

/// Someone typing in a conversation, with a token so only the newest timer clears it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typing {
    /// Who.
    pub user: UserId,
    /// From the caller's counter.
    pub token: u32,
}

/// Loaded messages in order of their sequence numbers, each once: a sorted list (a tab holds
/// a few hundred a conversation; an ordered map's code cost the web bundle over 2 KB gzip).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Messages(Vec<Message>);

impl Messages {
    /// Adds `m`, or replaces the message with its number.
    pub fn insert(&mut self, m: Message) {
        match self.0.binary_search_by_key(&m.seq, |x| x.seq) {
            Ok(i) => self.0[i] = m,
            Err(i) => self.0.insert(i, m),
        }
    }

    /// The messages, oldest first.
    pub fn values(&self) -> std::slice::Iter<'_, Message> {
        self.0.iter()
    }

    /// Their numbers, oldest first.
    pub fn keys(&self) -> impl Iterator<Item = Seq> + '_ {
        self.0.iter().map(|m| m.seq)
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One conversation as far as this tab knows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conv {
    /// Loaded messages by sequence number.
    pub messages: Messages,
    /// Whether the newest page has been fetched.
    pub loaded: bool,
    /// Whether older messages exist on the server.
    pub has_more: bool,
    /// Whether a page is being fetched.
    pub loading: bool,
    /// The newest message's number, known from the roster or from messages.
    pub last_seq: Seq,
    /// Messages from the friend this user has not read.
    pub unread: u32,
    /// How far the friend has received and read.
    pub peer_delivered: Seq,
    /// How far the friend has read.
    pub peer_read: Seq,
    /// Who is typing, while they are.
    pub typing: Option<Typing>,
}

impl Conv {
    /// Where my stored message number `seq` is, from the friend's marks.
    pub fn delivery(&self, seq: Seq) -> Delivery {
        if self.peer_read >= seq {
            Delivery::Read
        } else if self.peer_delivered >= seq {
            Delivery::Delivered
        } else {
            Delivery::Sent
        }
    }
}

/// Where one of my messages is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// In the outbox, not yet stored.
    Sending,
    /// The server refused it for good.
    Failed,
    /// Stored by the server.
    Sent,
    /// Reached one of the friend's devices.
    Delivered,
    /// The friend has seen it.
    Read,
}

/// An outbox entry and whether the server refused it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// The message.
    pub pending: Pending,
    /// Why it was refused, if it was.
    pub failed: Option<String>,
}

/// The chat store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatState {
    /// The signed-in user.
    pub me: Option<UserId>,
    /// The conversation on screen.
    pub active: Option<ConversationId>,
    /// Conversations by id.
    pub convs: HashMap<ConversationId, Conv>,
    /// My messages not yet acknowledged, oldest first.
    pub outbox: Vec<Outgoing>,
}

/// Changes to the chat store.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatAction {
    /// Signed in as this user, with this saved outbox.
    Start(UserId, Vec<Pending>),
    /// The roster's view of each conversation (newest seq, unread count).
    Roster(Vec<Friend>),
    /// The rooms list: each room's newest `seq` and unread count.
    Rooms(Vec<Room>),
    /// A stored message, live or caught up.
    Posted(Message),
    /// A page of history arrived.
    Page {
        conversation: ConversationId,
        messages: Vec<Message>,
        has_more: bool,
    },
    /// A page was requested.
    Loading(ConversationId),
    /// The user opened a conversation.
    Open(ConversationId),
    /// The user left the conversation view.
    Close,
    /// A member's marks.
    Marks {
        conversation: ConversationId,
        user: UserId,
        delivered: Seq,
        read: Seq,
    },
    /// Someone is typing.
    Typing(ConversationId, Typing),
    /// A typing timer ran out.
    TypingExpired(ConversationId, u32),
    /// The user wrote a message.
    Queue(Pending),
    /// The server refused a message for good.
    Failed(ClientMsgId, String),
    /// The user gave up on a refused message.
    Discard(ClientMsgId),
}

impl ChatState {
    /// What the server counts of a conversation: its newest `seq` and the unread (none for
    /// the open one).
    fn counts(&mut self, id: ConversationId, last_seq: Seq, unread: u32) {
        let open = self.active == Some(id);
        let conv = self.convs.entry(id).or_default();
        conv.last_seq = conv.last_seq.max(last_seq);
        conv.unread = if open { 0 } else { unread };
    }

    /// The conversation, if known.
    pub fn conv(&self, id: ConversationId) -> Option<&Conv> {
        self.convs.get(&id)
    }

    /// Where my stored message `m` is.
    pub fn delivery(&self, m: &Message) -> Delivery {
        self.convs
            .get(&m.conversation)
            .map_or(Delivery::Sent, |c| c.delivery(m.seq))
    }

    /// The outbox entries of one conversation.
    pub fn outgoing(&self, id: ConversationId) -> impl Iterator<Item = &Outgoing> {
        self.outbox
            .iter()
            .filter(move |o| o.pending.conversation == id)
    }

    fn posted(&mut self, m: Message) {
        let me = self.me;
        let active = self.active;
        if Some(m.author) == me {
            self.outbox.retain(|o| o.pending.client_id != m.client_id);
        }
        let conv = self.convs.entry(m.conversation).or_default();
        if m.seq > conv.last_seq {
            conv.last_seq = m.seq;
            if Some(m.author) != me && active != Some(m.conversation) {
                conv.unread += 1;
            }
        }
        if conv.typing.is_some_and(|t| t.user == m.author) {
            conv.typing = None;
        }
        conv.messages.insert(m);
    }
}

impl Reducible for ChatState {
    type Action = ChatAction;

    fn reduce(self: Rc<Self>, action: ChatAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            ChatAction::Start(me, outbox) => {
                s = ChatState {
                    me: Some(me),
                    ..ChatState::default()
                };
                s.outbox = outbox
                    .into_iter()
                    .map(|pending| Outgoing {
                        pending,
                        failed: None,
                    })
                    .collect();
            }
            ChatAction::Roster(friends) => {
                for f in friends {
                    s.counts(f.conversation, f.last_seq, f.unread);
                }
            }
            ChatAction::Rooms(rooms) => {
                for r in rooms {
                    s.counts(r.id, r.last_seq, r.unread);
                }
            }
            ChatAction::Posted(m) => s.posted(m),
            ChatAction::Page {
                conversation,
                messages,
                has_more,
            } => {
                for m in messages {
                    s.posted(m);
                }
                let conv = s.convs.entry(conversation).or_default();
                conv.loaded = true;
                conv.loading = false;
                conv.has_more = has_more;
            }
            ChatAction::Loading(id) => s.convs.entry(id).or_default().loading = true,
            ChatAction::Open(id) => {
                s.active = Some(id);
                s.convs.entry(id).or_default().unread = 0;
            }
            ChatAction::Close => s.active = None,
            ChatAction::Marks {
                conversation,
                user,
                delivered,
                read,
            } => {
                let mine = Some(user) == s.me;
                let conv = s.convs.entry(conversation).or_default();
                if mine {
                    if read >= conv.last_seq {
                        conv.unread = 0;
                    }
                } else {
                    conv.peer_delivered = conv.peer_delivered.max(delivered);
                    conv.peer_read = conv.peer_read.max(read);
                }
            }
            ChatAction::Typing(id, token) => s.convs.entry(id).or_default().typing = Some(token),
            ChatAction::TypingExpired(id, token) => match s.convs.get_mut(&id) {
                Some(c) if c.typing.map(|t| t.token) == Some(token) => c.typing = None,
                _ => return self,
            },
            ChatAction::Queue(p) => s.outbox.push(Outgoing {
                pending: p,
                failed: None,
            }),
            ChatAction::Failed(id, why) => {
                if let Some(o) = s.outbox.iter_mut().find(|o| o.pending.client_id == id) {
                    o.failed = Some(why);
                }
            }
            ChatAction::Discard(id) => s.outbox.retain(|o| o.pending.client_id != id),
        }
        Rc::new(s)
    }
}

/// How a call's entry reads in the conversation; `mine` when I was the caller. A room
/// call's lists who took part: "Video call, 12:03 — alice, bob, carol"; a broadcast's says
/// who was live and who watched: "alice was live, 5:00 — watched by bob, carol".
pub fn call_label(record: &CallRecord, mine: bool) -> String {
    let (cap, low) = match record.kind {
        CallKind::Voice => ("Voice call", "voice call"),
        CallKind::Video => ("Video call", "video call"),
    };
    match (record.outcome, mine) {
        // A broadcast: its host first, then who watched.
        (CallOutcome::Completed { seconds }, _) if record.broadcast => {
            let (host, watched) = record
                .participants
                .split_first()
                .map_or(("Someone", &[][..]), |(h, w)| (h.as_str(), w));
            let by = if watched.is_empty() {
                ""
            } else {
                " \u{2014} watched by "
            };
            format!(
                "{host} was live, {}{by}{}",
                duration(seconds),
                watched.join(", ")
            )
        }
        (CallOutcome::Completed { seconds }, _) if record.participants.is_empty() => {
            format!("{cap}, {}", duration(seconds))
        }
        (CallOutcome::Completed { seconds }, _) => format!(
            "{cap}, {} \u{2014} {}",
            duration(seconds),
            record.participants.join(", ")
        ),
        (CallOutcome::Declined, false) => "Declined".to_owned(),
        (CallOutcome::Declined, true) => format!("{cap} declined"),
        (CallOutcome::Missed, true) => format!("{cap}, no answer"),
        (CallOutcome::Busy, true) => format!("{cap}, busy"),
        (CallOutcome::Cancelled, true) => format!("Cancelled {low}"),
        (CallOutcome::Missed | CallOutcome::Busy | CallOutcome::Cancelled, false) => {
            format!("Missed {low}")
        }
    }
}

/// `m:ss`, or `h:mm:ss` from an hour on.
pub fn duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests;
