//! One room: its name, its members (the owner renames the room and removes members; anyone
//! adds a friend or leaves), the stream key for going live from OBS,
//! the messages with their authors' names, and the composer.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::stream_key::stream_key_panel;
use super::thread::{thread, Thread};
use crate::hooks::KeyState;
use hearth_shared::rooms::{Room, MAX_ROOM_NAME_CHARS};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, UserId};

/// What [`room_view`] shows.
pub struct RoomViewProps {
    /// The room.
    pub room: Room,
    /// My friends (the ones not in the room can be added).
    pub friends: Vec<UserPublic>,
    /// Its messages.
    pub thread: Thread,
    /// Back to the list (phone layout).
    pub on_back: Callback<()>,
    /// Add a friend to the room.
    pub on_add: Callback<(ConversationId, UserId)>,
    /// Remove a member.
    pub on_remove: Callback<(ConversationId, UserId)>,
    /// Leave the room.
    pub on_leave: Callback<ConversationId>,
    /// Rename it (the owner only).
    pub on_rename: Callback<(ConversationId, String)>,
    /// The room's call controls (start, or join the one running).
    pub call_bar: Html,
    /// Which panel shows: none (0), the members (1), the stream key (2).
    pub panel: u8,
    /// Shows a panel.
    pub on_panel: Callback<u8>,
    /// The stream key panel's state, and its requests (`POST`: a new key, `DELETE`).
    pub key: KeyState,
    pub on_key: Callback<&'static str>,
}

/// The room pane. A function, not a component: a component type of its own costs the bundle
/// its lifecycle code, so its state (which panel shows, the stream key) is kept by the page.
pub fn room_view(props: &RoomViewProps) -> Html {
    let panel = props.panel;
    let toggle = |which: u8| {
        let next = if panel == which { 0 } else { which };
        props.on_panel.reform(move |_: MouseEvent| next)
    };
    let members = props.room.members.clone();
    let name_of = move |user: UserId| {
        Some(
            members
                .iter()
                .find(|m| m.id == user)
                .map_or_else(|| "A former member".to_owned(), |m| m.username.clone()),
        )
    };
    html! {
        <section class="conversation" aria-label={format!("Room {}", props.room.name)}>
            <header class="conv-head">
                <button class="back secondary" aria-label="Back to friends"
                        onclick={props.on_back.reform(|_: MouseEvent| ())}>{ "←" }</button>
                <h2>{ &props.room.name }</h2>
                <span class="presence">{ format!("{} people", props.room.members.len()) }</span>
                <span class="spacer"></span>
                <button class="secondary" aria-expanded={(panel == 2).to_string()} onclick={toggle(2)}>{ "Stream key" }</button>
                <button class="secondary" aria-expanded={(panel == 1).to_string()} onclick={toggle(1)}>{ "Members" }</button>
            </header>
            { props.call_bar.clone() }
            if panel == 1 { { members_panel(props) } }
            if panel == 2 { { stream_key_panel(&whip_base(), props.room.id, &props.key, &props.on_key) } }
            { thread(&props.thread, &|u| format!("{} is typing…", name_of(u).unwrap_or_default()), &name_of) }
        </section>
    }
}

/// Where OBS publishes to this room: `<this origin>/api/whip/<room id>`.
/// Where OBS publishes on this server: the room's id or `friends` follows.
fn whip_base() -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}/api/whip/")
}

/// The owner's "New room name" and "Rename".
fn rename_form(props: &RoomViewProps) -> Html {
    let (id, input) = (props.room.id, NodeRef::default());
    let submit = {
        let (input, on_rename) = (input.clone(), props.on_rename.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                on_rename.emit((id, field.value()));
            }
        })
    };
    html! {
        <form class="add-member" onsubmit={submit}>
            <input ref={input} aria-label="New room name" value={props.room.name.clone()}
                   required=true maxlength={MAX_ROOM_NAME_CHARS.to_string()} />
            <button type="submit">{ "Rename" }</button>
        </form>
    }
}

/// The members, with "Remove" for the owner, "Add member" and "Leave room".
fn members_panel(props: &RoomViewProps) -> Html {
    let room = &props.room;
    let id = room.id;
    let owner = room.owner == props.thread.me;
    let addable: Vec<&UserPublic> = props
        .friends
        .iter()
        .filter(|f| room.members.iter().all(|m| m.id != f.id))
        .collect();
    let pick = NodeRef::default();
    let add = {
        let (pick, on_add) = (pick.clone(), props.on_add.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen = pick
                .cast::<HtmlSelectElement>()
                .and_then(|s| s.value().parse::<u32>().ok());
            if let Some(user) = chosen {
                on_add.emit((id, UserId(user)));
            }
        })
    };
    html! {
        <div class="members" role="region" aria-label="Members">
            if owner { { rename_form(props) } }
            <ul aria-label="Members list">
                { for room.members.iter().map(|m| {
                    let (user, on_remove) = (m.id, props.on_remove.clone());
                    html! {
                        <li key={m.id.0}>
                            <span class="name">{ &m.username }</span>
                            if m.id == room.owner { <span class="muted">{ " (owner)" }</span> }
                            if owner && m.id != props.thread.me {
                                <button class="secondary" onclick={move |_| on_remove.emit((id, user))}>{ "Remove" }</button>
                            }
                        </li>
                    }
                }) }
            </ul>
            if !addable.is_empty() {
                <form class="add-member" onsubmit={add}>
                    <select ref={pick} aria-label="Friend to add">
                        { for addable.iter().map(|f| html! {
                            <option key={f.id.0} value={f.id.0.to_string()}>{ &f.username }</option>
                        }) }
                    </select>
                    <button type="submit">{ "Add member" }</button>
                </form>
            }
            <button class="danger" onclick={props.on_leave.reform(move |_: MouseEvent| id)}>{ "Leave room" }</button>
        </div>
    }
}
