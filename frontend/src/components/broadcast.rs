//! Broadcasts on screen: what the room's bar says where someone is live ("alice is live",
//! how many watch; `room_call::call_bar` adds "Watch"), and the screen of a tab in one: the
//! host's own picture large with who watches and "End broadcast"; a viewer's, the host's
//! picture large above the room's chat (in a corner while another conversation is open),
//! with "Stop watching" (a viewer has no microphone or camera to turn on).

use yew::prelude::*;

use super::room_call::{controls, my_tile, tile};
use crate::hooks::MeshIntent;
use crate::state::mesh::MeshState;
use crate::webrtc::mesh::Part;
use hearth_shared::call::RoomCallInfo;
use hearth_shared::session::UserPublic;

/// "3 watching", after `prefix`.
fn watching(prefix: &str, n: usize) -> String {
    format!("{prefix}{n} watching")
}

/// "alice is live" ("You are live").
pub(super) fn is_live(name: &str) -> String {
    let verb = if name == "You" { "are" } else { "is" };
    format!("{name} {verb} live")
}

/// The viewers of a broadcast: everyone in it but its host.
fn viewers(call: &RoomCallInfo) -> Vec<&UserPublic> {
    let host = call.host;
    (call.participants.iter())
        .filter(|p| Some(p.id) != host)
        .collect()
}

/// "bob, carol".
pub(super) fn names(people: &[&UserPublic]) -> String {
    let names: Vec<&str> = people.iter().map(|p| p.username.as_str()).collect();
    names.join(", ")
}

/// A broadcast's host's name and "3 watching"; none for a call.
pub(super) fn live(call: &RoomCallInfo) -> Option<(&str, String)> {
    let id = call.host?;
    let host = (call.participants.iter()).find(|p| p.id == id)?;
    Some((&host.username, watching("", viewers(call).len())))
}

/// In a friend's conversation while they are live to friends: "alice is live", how many
/// watch, and "Watch" (none while this tab is in a call); why the last broadcast ended.
pub fn friend_live_bar(
    friend: &UserPublic,
    call: Option<&RoomCallInfo>,
    mesh: &MeshState,
    on: &Callback<MeshIntent>,
) -> Html {
    let notice = (mesh.room.is_none())
        .then_some(mesh.notice.as_ref())
        .flatten()
        .map(|n| html! { <p class="warning" role="alert">{ n }</p> });
    let Some((host, viewers)) = call.and_then(live) else {
        return notice.into_iter().collect();
    };
    let watch = (mesh.room.is_none())
        .then(|| super::room_call::intent(on, MeshIntent::WatchFriend(friend.id)));
    let what = (is_live(host), viewers);
    super::room_call::bar("Broadcast", what, watch.map(|w| (w, "Watch")), notice)
}

/// Where a broadcast's screen is shown, and what it can do.
pub struct Shown<'a> {
    /// The broadcast as the room sees it (who watches), once known.
    pub call: Option<&'a RoomCallInfo>,
    /// The room's name.
    pub room_name: &'a str,
    /// Whether this browser can share a screen, and record.
    pub can: (bool, bool),
    /// In the room, above its chat (else in a corner, over whatever is open).
    pub inline: bool,
}

/// The screen of a tab that is live, or watching (a function, not a component: the
/// page renders it with the call's state, and the bundle is smaller without one more).
pub fn broadcast_view(s: &MeshState, props: Shown, on: &Callback<MeshIntent>) -> Html {
    let audience = props.call.map(viewers).unwrap_or_default();
    let live = s.part == Part::Live;
    let status = match (s.joining, live) {
        (true, _) => "Joining…".to_owned(),
        (false, true) => watching("You are live · ", audience.len()),
        (false, false) => watching("", audience.len()),
    };
    let host = (s.tiles.iter()).find(|t| Some(t.user.id) == s.host);
    // In the room its name is already above: say who is live instead.
    let title = match (props.inline, live, host) {
        (false, ..) => props.room_name.to_owned(),
        (true, false, Some(t)) => is_live(&t.user.username),
        (true, ..) => "Live".to_owned(),
    };
    html! {
        <section class={classes!("call", "active", "mesh", "broadcast", props.inline.then_some("inline"))} aria-label={if live { "Your broadcast" } else { "Broadcast" }}
                 data-phase={if s.joining { "joining" } else { "active" }}>
            <p class="who">{ title }<span class="status" role="status">{ status }</span></p>
            <div class="grid" data-tiles="1">
                if live { { my_tile(s, on) } }
                if let Some(t) = host { { tile(t, false, true, on) } }
            </div>
            if live && !audience.is_empty() {
                <p class="viewers" aria-label="Viewers">{ names(&audience) }</p>
            }
            if s.server_lost {
                <p class="reconnecting" role="status">{ "Server connection lost; reconnecting…" }</p>
            }
            { super::room_call::recording_notices(s) }
            if let Some(w) = &s.warning { <p class="warning" role="alert">{ w }</p> }
            if let Some(shot) = &s.shot { { super::shot::shot(shot) } }
            { controls(s, (live, props.can.0, props.can.1), if live { "End broadcast" } else { "Stop watching" }, on) }
        </section>
    }
}
