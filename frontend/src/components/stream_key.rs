//! "Stream key": what OBS needs to go live in this room (WHIP): the server's URL for the
//! room (or for the user's friends), and a key made on request (shown once; a new one or
//! "Revoke" stops the old one, and a broadcast that uses it).

use hearth_shared::ConversationId;
use yew::prelude::*;

use crate::hooks::KeyState;

/// The panel: the WHIP URLs (`base` and the room's id, or `friends`), "New stream key" and
/// "Revoke", and the key once made.
pub fn stream_key_panel(
    base: &str,
    room: ConversationId,
    state: &KeyState,
    ask: &Callback<&'static str>,
) -> Html {
    let busy = *state == KeyState::Busy;
    let field = |label: &'static str, value: &str| {
        html! { <label>{ label }<input readonly=true value={value.to_owned()} /></label> }
    };
    html! {
        <div class="members" role="region" aria-label="Go live from OBS">
            <p class="muted">{ "In OBS: Settings, Stream, Service WHIP. The key is shown once." }</p>
            { field("Server", &format!("{base}{}", room.0)) }
            { field("Or, to your friends", &format!("{base}friends")) }
            if let KeyState::Made(key) = state { { field("Bearer token", key) } }
            if let KeyState::Revoked = state { <p role="status">{ "Revoked: no key works now." }</p> }
            if let KeyState::Failed(why) = state { <p role="alert">{ why }</p> }
            <div>
                <button disabled={busy} onclick={ask.reform(|_: MouseEvent| "POST")}>{ "New stream key" }</button>
                <button class="secondary" disabled={busy} onclick={ask.reform(|_: MouseEvent| "DELETE")}>{ "Revoke" }</button>
            </div>
        </div>
    }
}
