//! What every conversation pane shows under its header, a friend's or a room's: the
//! messages (stored and still sending), who is typing, the offline note and the composer.

use yew::prelude::*;

use super::composer::Composer;
use super::message_list::{lines, MessageList};
use crate::state::chat::{Conv, Outgoing};
use hearth_shared::{ClientMsgId, ConversationId, UserId};

/// One conversation's messages and where its actions go.
#[derive(Clone, PartialEq)]
pub struct Thread {
    /// The signed-in user.
    pub me: UserId,
    /// The conversation.
    pub id: ConversationId,
    /// What is loaded of it.
    pub conv: Conv,
    /// My messages not yet stored.
    pub outbox: Vec<Outgoing>,
    /// Whether the connection is up (the outbox says so when not).
    pub connected: bool,
    /// Send a message.
    pub on_send: Callback<(ConversationId, String)>,
    /// The user typed.
    pub on_typing: Callback<ConversationId>,
    /// Load older messages.
    pub on_load_older: Callback<ConversationId>,
    /// Give up on a refused message.
    pub on_discard: Callback<ClientMsgId>,
}

/// The thread; `typing` is shown while someone types, and `name_of` names the author of
/// someone else's message (`None` where that goes without saying).
pub fn thread(
    t: &Thread,
    typing: &dyn Fn(UserId) -> String,
    name_of: &dyn Fn(UserId) -> Option<String>,
) -> Html {
    let id = t.id;
    html! { <>
        <MessageList
            lines={lines(t.me, &t.conv, &t.outbox, name_of)}
            has_more={t.conv.has_more}
            loading={t.conv.loading}
            on_load_older={t.on_load_older.reform(move |()| id)}
            on_discard={t.on_discard.clone()}
        />
        <p class="typing" aria-live="polite">
            if let Some(who) = t.conv.typing { { typing(who.user) } }
        </p>
        if !t.connected && !t.outbox.is_empty() {
            <p class="muted">{ "Offline: your messages will be sent when the connection is back." }</p>
        }
        <Composer on_send={t.on_send.reform(move |text| (id, text))}
                  on_typing={t.on_typing.reform(move |()| id)} />
    </> }
}
