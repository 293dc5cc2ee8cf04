//! A conversation with a friend: the header (presence, calls, removing the friend) over the
//! thread.

use yew::prelude::*;

use super::thread::{thread, Thread};
use hearth_shared::call::CallKind;
use hearth_shared::friends::Friend;
use hearth_shared::UserId;

/// What [`conversation`] shows.
pub struct ConversationProps {
    /// The friend.
    pub friend: Friend,
    /// The messages.
    pub thread: Thread,
    /// Back to the list (phone layout).
    pub on_back: Callback<()>,
    /// End the friendship (asked twice).
    pub on_remove: Callback<UserId>,
    /// Call the friend.
    pub on_call: Callback<CallKind>,
    /// Whether a call is already in progress (the call buttons wait).
    pub in_call: bool,
    /// Whether "Remove friend" was pressed: it asks again.
    pub confirming: bool,
    /// Asks again (true), or not any more.
    pub on_confirming: Callback<bool>,
    /// Above the messages: the friend's broadcast to friends ("alice is live", or the
    /// picture while watching it).
    pub live: Html,
}

/// The conversation pane. A function, not a component: a component type of its own costs the
/// bundle its lifecycle code, so its one piece of state is kept by the page.
pub fn conversation(props: &ConversationProps) -> Html {
    let name = props.friend.user.username.clone();
    let presence = if props.friend.online {
        "online"
    } else {
        "offline"
    };
    let on_back = props.on_back.reform(|_: MouseEvent| ());
    let friend_id = props.friend.user.id;
    let confirm = |on: bool| props.on_confirming.reform(move |_: MouseEvent| on);
    let remove = if props.confirming {
        let on_remove = props.on_remove.clone();
        html! { <>
            <button class="danger" onclick={move |_| on_remove.emit(friend_id)}>{ format!("Remove {name}") }</button>
            <button class="secondary" onclick={confirm(false)}>{ "Keep" }</button>
        </> }
    } else {
        html! { <button class="secondary" onclick={confirm(true)}>{ "Remove friend" }</button> }
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
            { props.live.clone() }
            { thread(&props.thread, &|_| format!("{name} is typing…"), &|_| None) }
        </section>
    }
}
