//! The rooms in the side panel: one button per room (with its unread count), and "New room",
//! which opens a form: a name and a checkbox per friend.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use hearth_shared::rooms::{Room, MAX_ROOM_NAME_CHARS};
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, UserId};

/// What [`rooms`] shows, and where its choices go.
pub struct RoomsProps {
    /// The rooms, by name.
    pub rooms: Vec<Room>,
    /// Unread count per room, same order.
    pub unread: Vec<u32>,
    /// The open conversation.
    pub active: Option<ConversationId>,
    /// The friends one can put in a new room.
    pub friends: Vec<UserPublic>,
    /// The last room command's failure.
    pub error: Option<String>,
    /// Open a room.
    pub on_open: Callback<ConversationId>,
    /// Make a room: its name and members.
    pub on_create: Callback<(String, Vec<UserId>)>,
    /// Whether the "New room" form is open.
    pub making: bool,
    /// Open the form (true) or close it.
    pub on_making: Callback<bool>,
}

/// The rooms section (a function, not a component: the page keeps whether its form is
/// open, and the bundle is smaller without one more component).
pub fn rooms(props: &RoomsProps) -> Html {
    let making = props.making;
    let toggle = props.on_making.reform(move |_: MouseEvent| !making);
    let on_create = {
        let (on_making, on_create) = (props.on_making.clone(), props.on_create.clone());
        Callback::from(move |room| {
            on_create.emit(room);
            on_making.emit(false);
        })
    };
    html! {
        <section class="rooms" aria-label="Rooms">
            <div class="section-head">
                <h2>{ "Rooms" }</h2>
                <button class="secondary" aria-expanded={making.to_string()} onclick={toggle}>{ "New room" }</button>
            </div>
            if making {
                <NewRoom friends={props.friends.clone()} {on_create} />
            }
            if let Some(e) = &props.error {
                <p class="error" role="alert">{ e }</p>
            }
            <ul class="friends" aria-label="Rooms list">
                { for props.rooms.iter().zip(props.unread.iter().copied()).map(|(r, unread)| {
                    let (id, on_open) = (r.id, props.on_open.clone());
                    let current = (props.active == Some(id)).then_some("true");
                    html! {
                        <li key={id.0}>
                            <button class="friend" aria-current={current} onclick={move |_| on_open.emit(id)}>
                                <span class="name">{ &r.name }</span>
                                <span class="presence">{ format!("{} people", r.members.len()) }</span>
                                if unread > 0 {
                                    <span class="badge" aria-label={format!("{unread} unread")}>{ unread }</span>
                                }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// Props of [`NewRoom`].
#[derive(Properties, PartialEq)]
struct NewRoomProps {
    friends: Vec<UserPublic>,
    on_create: Callback<(String, Vec<UserId>)>,
}

/// The form that makes a room.
#[component]
fn NewRoom(props: &NewRoomProps) -> Html {
    let name = use_node_ref();
    let chosen = use_state(Vec::<UserId>::new);
    let onsubmit = {
        let (name, chosen, on_create) = (name.clone(), chosen.clone(), props.on_create.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = name
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            on_create.emit((text, chosen.iter().copied().collect()));
        })
    };
    if props.friends.is_empty() {
        return html! { <p class="muted">{ "Add a friend first: a room is made with friends." }</p> };
    }
    html! {
        <form class="new-room" {onsubmit}>
            <input ref={name} aria-label="Room name" placeholder="Room name" autocomplete="off"
                   required=true maxlength={MAX_ROOM_NAME_CHARS.to_string()} />
            <fieldset>
                <legend>{ "Friends in it" }</legend>
                { for props.friends.iter().map(|f| {
                    let id = f.id;
                    let checked = chosen.contains(&id);
                    let chosen = chosen.clone();
                    let onchange = Callback::from(move |e: Event| {
                        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                        let mut next = (*chosen).clone();
                        next.retain(|u| *u != id);
                        if on { next.push(id); }
                        chosen.set(next);
                    });
                    html! {
                        <label key={id.0}>
                            <input type="checkbox" {checked} {onchange} />
                            { &f.username }
                        </label>
                    }
                }) }
            </fieldset>
            <button type="submit" disabled={chosen.is_empty()}>{ "Create room" }</button>
        </form>
    }
}
