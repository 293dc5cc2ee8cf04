//! Friend requests: received ones to accept or decline, sent ones to cancel.

use yew::prelude::*;

use hearth_shared::session::UserPublic;
use hearth_shared::UserId;

/// What [`requests`] shows, and where its buttons go.
pub struct RequestsProps {
    /// Requests others sent.
    pub incoming: Vec<UserPublic>,
    /// Requests this user sent.
    pub outgoing: Vec<UserPublic>,
    /// Accept one.
    pub on_accept: Callback<UserId>,
    /// Decline one.
    pub on_decline: Callback<UserId>,
    /// Cancel one of mine.
    pub on_cancel: Callback<UserId>,
}

/// The two request lists (hidden when both are empty).
pub fn requests(props: &RequestsProps) -> Html {
    if props.incoming.is_empty() && props.outgoing.is_empty() {
        return html! {};
    }
    let button = |label: &'static str, cb: &Callback<UserId>, id: UserId, class: &'static str| {
        let cb = cb.clone();
        html! { <button class={class} onclick={move |_| cb.emit(id)}>{ label }</button> }
    };
    html! {
        <section class="requests" aria-label="Friend requests">
            <ul>
                { for props.incoming.iter().map(|u| html! {
                    <li key={u.id.0} class="request incoming" data-user={u.username.clone()}>
                        <span>{ format!("{} wants to be friends", u.username) }</span>
                        { button("Accept", &props.on_accept, u.id, "") }
                        { button("Decline", &props.on_decline, u.id, "secondary") }
                    </li>
                }) }
                { for props.outgoing.iter().map(|u| html! {
                    <li key={u.id.0} class="request outgoing" data-user={u.username.clone()}>
                        <span>{ format!("Waiting for {}", u.username) }</span>
                        { button("Cancel", &props.on_cancel, u.id, "secondary") }
                    </li>
                }) }
            </ul>
        </section>
    }
}
