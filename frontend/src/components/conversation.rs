//! One conversation: header, messages (stored and still sending), typing, composer.

use yew::prelude::*;

use super::composer::Composer;
use super::message_list::{Line, MessageList};
use crate::state::chat::{call_label, Conv, Delivery, Outgoing};
use hearth_shared::call::CallKind;
use hearth_shared::friends::Friend;
use hearth_shared::{ClientMsgId, ConversationId, UserId};

/// Props of [`Conversation`].
#[derive(Properties, PartialEq)]
pub struct ConversationProps {
    /// The signed-in user.
    pub me: UserId,
    /// The friend.
    pub friend: Friend,
    /// What is loaded of the conversation.
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
    /// Back to the list (phone layout).
    pub on_back: Callback<()>,
    /// End the friendship (asked twice).
    pub on_remove: Callback<UserId>,
    /// Call the friend.
    pub on_call: Callback<CallKind>,
    /// Whether a call is already in progress (the call buttons wait).
    pub in_call: bool,
}

fn status_label(d: Delivery) -> &'static str {
    match d {
        Delivery::Sending => "sending",
        Delivery::Failed => "not sent",
        Delivery::Sent => "sent",
        Delivery::Delivered => "delivered",
        Delivery::Read => "read",
    }
}

fn lines(p: &ConversationProps) -> Vec<Line> {
    let stored = p.conv.messages.values().map(|m| {
        let mine = m.author == p.me;
        let text = m
            .call
            .as_ref()
            .map_or_else(|| m.text.clone(), |c| call_label(c, mine));
        Line {
            key: format!("s{}", m.seq.0),
            text,
            mine,
            call: m.call.is_some(),
            at_ms: m.sent_at_ms as f64,
            status: (mine && m.call.is_none()).then(|| status_label(p.conv.delivery(m.seq))),
            failed: None,
        }
    });
    let pending = p.outbox.iter().map(|o| Line {
        key: format!("p{}", o.pending.client_id.0),
        text: o.pending.text.clone(),
        mine: true,
        call: false,
        at_ms: o.pending.created_ms,
        status: Some(status_label(if o.failed.is_some() {
            Delivery::Failed
        } else {
            Delivery::Sending
        })),
        failed: o
            .failed
            .clone()
            .map(|why| (o.pending.client_id.clone(), why)),
    });
    stored.chain(pending).collect()
}

/// The conversation pane.
#[component]
pub fn Conversation(props: &ConversationProps) -> Html {
    let conv_id = props.friend.conversation;
    let name = props.friend.user.username.clone();
    let presence = if props.friend.online {
        "online"
    } else {
        "offline"
    };
    let on_back = props.on_back.reform(|_: MouseEvent| ());
    let on_send = props.on_send.reform(move |text| (conv_id, text));
    let on_typing = props.on_typing.reform(move |()| conv_id);
    let on_older = props.on_load_older.reform(move |()| conv_id);
    let confirming = use_state(|| false);
    let friend_id = props.friend.user.id;
    let remove = if *confirming {
        let (on_remove, confirming_no) = (props.on_remove.clone(), confirming.clone());
        html! { <>
            <button class="danger" onclick={move |_| on_remove.emit(friend_id)}>{ format!("Remove {name}") }</button>
            <button class="secondary" onclick={move |_| confirming_no.set(false)}>{ "Keep" }</button>
        </> }
    } else {
        let confirming = confirming.clone();
        html! { <button class="secondary" onclick={move |_| confirming.set(true)}>{ "Remove friend" }</button> }
    };
    html! {
        <section class="conversation" aria-label={format!("Conversation with {name}")}>
            <header class="conv-head">
                <button class="back secondary" aria-label="Back to friends" onclick={on_back}>{ "←" }</button>
                <h2>{ &name }</h2>
                <span class="presence" data-presence={presence}>{ presence }</span>
                <span class="spacer"></span>
                <button class="secondary" disabled={props.in_call}
                        onclick={props.on_call.reform(|_: MouseEvent| CallKind::Voice)}>{ "Voice call" }</button>
                <button class="secondary" disabled={props.in_call}
                        onclick={props.on_call.reform(|_: MouseEvent| CallKind::Video)}>{ "Video call" }</button>
                { remove }
            </header>
            <MessageList
                lines={lines(props)}
                has_more={props.conv.has_more}
                loading={props.conv.loading}
                on_load_older={on_older}
                on_discard={props.on_discard.clone()}
            />
            <p class="typing" aria-live="polite">
                if props.conv.typing.is_some() { { format!("{name} is typing…") } }
            </p>
            if !props.connected && !props.outbox.is_empty() {
                <p class="muted">{ "Offline: your messages will be sent when the connection is back." }</p>
            }
            <Composer {on_send} {on_typing} />
        </section>
    }
}
