//! Room calls on screen: the bar in a room ("Video call", or "Call in progress" with "Join
//! call"), the ring ("alice is calling Trip" with "Join" and "Decline"), and the grid of a
//! call this tab is in (a tile per participant with their name and marks, a shared screen in
//! the large spot), with mute, camera, share screen, record, a screenshot per tile, leave.
//! A room where someone is live shows `broadcast`'s bar instead, with "Go live" beside the
//! call buttons when nothing runs.

use yew::prelude::*;

use super::call_quality::quality_mark;
use super::devices::device_picker;
use super::record_controls::RecordControls;
use super::video::Video;
use crate::hooks::MeshIntent;
use crate::state::mesh::{MeshState, Tile};
use hearth_shared::call::{CallKind, RoomCallInfo};
use hearth_shared::rooms::Room;
use hearth_shared::session::UserPublic;
use hearth_shared::UserId;

/// A click that carries out intent `i`.
pub fn intent(on: &Callback<MeshIntent>, i: MeshIntent) -> Callback<MouseEvent> {
    let on = on.clone();
    Callback::from(move |_| on.emit(i.clone()))
}

/// The call controls in a room's header: start one, or join the one running. Nothing while
/// this tab is in this room's call (the grid shows it); no buttons while it is in another.
pub fn call_bar(
    (room, me): (&Room, UserId),
    call: Option<&RoomCallInfo>,
    mesh: &MeshState,
    on: &Callback<MeshIntent>,
) -> Html {
    if mesh.room == Some(room.id) {
        return html! {};
    }
    let busy = mesh.room.is_some();
    let notice = mesh
        .notice
        .as_ref()
        .map(|n| html! { <p class="warning" role="alert">{ n }</p> });
    match call {
        Some(call) => {
            // A call, or a broadcast (someone is live: members watch).
            let (what, who, join, label) = match super::broadcast::live(call) {
                Some((host, viewers)) => {
                    let mine = call.host == Some(me);
                    let watch = (!mine).then_some(MeshIntent::Watch(room.id));
                    (
                        // Live from elsewhere (OBS, another tab) than this tab.
                        super::broadcast::is_live(if mine { "You" } else { host }),
                        viewers,
                        watch.map(|w| (w, "Watch")),
                        "Broadcast",
                    )
                }
                None => {
                    let everyone: Vec<&UserPublic> = call.participants.iter().collect();
                    let join = (MeshIntent::Join(room.id, call.kind), "Join call");
                    (
                        "Call in progress".to_owned(),
                        super::broadcast::names(&everyone),
                        Some(join),
                        "Room call",
                    )
                }
            };
            let join = join
                .filter(|_| !busy)
                .map(|(i, text)| (intent(on, i), text));
            bar(label, (what, who), join, notice)
        }
        None if busy => html! {},
        None => html! {
            <div class="room-call-bar">
                <button onclick={intent(on, MeshIntent::Join(room.id, CallKind::Voice))}>{ "Voice call" }</button>
                <button onclick={intent(on, MeshIntent::Join(room.id, CallKind::Video))}>{ "Video call" }</button>
                <button class="secondary" onclick={intent(on, MeshIntent::GoLive(room.id))}>{ "Go live" }</button>
                { notice }
            </div>
        },
    }
}

/// "Call in progress" (or "alice is live"), who is in it, and the button to join (or watch).
pub(super) fn bar(
    label: &'static str,
    (what, who): (String, String),
    join: Option<(Callback<MouseEvent>, &'static str)>,
    notice: Option<Html>,
) -> Html {
    html! {
        <div class="room-call-bar" role="status" aria-label={label}>
            <span>{ what }</span>
            <span class="who-in">{ who }</span>
            if let Some((onclick, text)) = join {
                <button class="accept" {onclick}>{ text }</button>
            }
            { notice }
        </div>
    }
}

/// A room call ringing this user.
pub fn ring(
    ringing: &(RoomCallInfo, UserPublic),
    room_name: &str,
    on: &Callback<MeshIntent>,
) -> Html {
    let (call, by) = ringing;
    let kind = match call.kind {
        CallKind::Voice => "Voice call",
        CallKind::Video => "Video call",
    };
    html! {
        <div class="call ring" role="alertdialog" aria-label="Room call ringing">
            <p class="who">{ format!("{} is calling {room_name}", by.username) }</p>
            <p class="kind">{ kind }</p>
            <div class="controls">
                <button class="accept" onclick={intent(on, MeshIntent::Join(call.room, call.kind))}>{ "Join" }</button>
                <button class="danger" onclick={intent(on, MeshIntent::Decline(call.clone()))}>{ "Decline" }</button>
            </div>
        </div>
    }
}

fn marks(audio: bool, video: bool) -> Html {
    html! {
        <>
            if !audio { <span class="mark" role="img" aria-label="muted">{ "🔇" }</span> }
            if !video { <span class="mark" role="img" aria-label="camera off">{ "📷̸" }</span> }
        </>
    }
}

/// "Screenshot of bob": a picture of that tile, at its full size.
fn shot_button(on: &Callback<MeshIntent>, of: &str, user: Option<hearth_shared::UserId>) -> Html {
    html! {
        <button class="tile-shot secondary" aria-label={format!("Screenshot of {of}")}
                onclick={intent(on, MeshIntent::Screenshot(user))}>{ "📸" }</button>
    }
}

pub(super) fn tile(t: &Tile, speaking: bool, big: bool, on: &Callback<MeshIntent>) -> Html {
    let name = t.user.username.clone();
    // No screenshot of a picture that has not come yet.
    let shows = t.video && t.stream.is_some() && t.connected;
    html! {
        // Keyed by person: when someone joins or leaves, everyone else's picture keeps its
        // element (unkeyed, the elements were reassigned and every picture reloaded).
        <figure key={t.user.id.0} class={classes!("tile", (!t.connected).then_some("waiting"), speaking.then_some("speaking"), big.then_some("big"))}
                data-user={name.clone()}>
            <Video stream={t.stream.clone()} class="remote" label={format!("{name}'s picture")} seamless=true
                   on_shown={on.reform({ let id = t.user.id; move |()| MeshIntent::Shown(id) })} />
            if !t.video { <span class="avatar" aria-hidden="true">{ crate::text::initial(&name) }</span> }
            // Said, not only dimmed: until their media arrives the tile is silent and still.
            if !t.connected { <span class="tile-wait">{ "Connecting…" }</span> }
            if shows { { shot_button(on, &name, Some(t.user.id)) } }
            <figcaption><span class="name">{ name.clone() }</span>{ marks(t.audio, t.video) }
                if t.screen { <span class="mark" role="img" aria-label="sharing screen">{ "🖥" }</span> }
                if speaking { <span class="mark" role="img" aria-label="speaking">{ "🔊" }</span> }
                if let Some(q) = &t.quality { { quality_mark(q) } }
            </figcaption>
        </figure>
    }
}

/// This side's tile: the camera, or the screen it shares.
pub(super) fn my_tile(s: &MeshState, on: &Callback<MeshIntent>) -> Html {
    let big = s.spot() == Some(None);
    let shows = s.sharing.is_some() || (s.video && s.local.is_some());
    html! {
        <figure key="me" class={classes!("tile", "mine", big.then_some("big"))}>
            <Video stream={s.sharing.clone().or_else(|| s.local.clone())} muted=true class="local" label="Your picture" />
            if shows { { shot_button(on, "me", None) } }
            <figcaption><span class="name">{ "You" }</span>{ marks(s.audio, s.video) }</figcaption>
        </figure>
    }
}

/// Who else records the call (or, to a broadcast's host, which viewer records it), for
/// everyone to see.
pub(super) fn recording_notices(s: &MeshState) -> Html {
    s.tiles
        .iter()
        .filter(|t| t.recording)
        .map(|t| html! { <p class="rec-flag" role="status">{ format!("{} is recording", t.user.username) }</p> })
        .collect()
}

/// The call's buttons: mute, camera and share screen when this side sends (`sends`), record
/// (`can_record`), and `leave` ("Leave call", "End broadcast", "Stop watching").
pub(super) fn controls(
    s: &MeshState,
    (sends, can_share, can_record): (bool, bool, bool),
    leave: &'static str,
    on: &Callback<MeshIntent>,
) -> Html {
    html! {
        <div class="controls">
            if sends {
                <button onclick={intent(on, MeshIntent::ToggleMic)}>{ if s.audio { "Mute" } else { "Unmute" } }</button>
                <button onclick={intent(on, MeshIntent::ToggleCamera)}>{ if s.video { "Camera off" } else { "Camera on" } }</button>
                if s.sharing.is_some() {
                    <button onclick={intent(on, MeshIntent::StopSharing)}>{ "Stop sharing" }</button>
                } else if can_share && !s.joining {
                    <button class="secondary" onclick={intent(on, MeshIntent::ShareScreen)}>{ "Share screen" }</button>
                }
            }
            if can_record && !s.joining {
                <RecordControls status={s.recording} voice={!s.video && s.tiles.iter().all(|t| !t.video)}
                    on_record={on.reform(MeshIntent::Record)} on_stop={on.reform(|()| MeshIntent::StopRecording)} />
            }
            <button class="danger" onclick={intent(on, MeshIntent::Leave)}>{ leave }</button>
        </div>
    }
}

/// The grid of a room call this tab is in, in the room `room_name`. A function, not a
/// component: a component type of its own costs the bundle its lifecycle code.
pub fn mesh_grid(
    s: &MeshState,
    room_name: &str,
    (can_share, can_record): (bool, bool),
    on: &Callback<MeshIntent>,
) -> Html {
    let spot = s.spot();
    let on_device = on.reform(|(kind, id)| MeshIntent::Device(kind, id));
    let status = if s.joining {
        "Joining…".to_owned()
    } else if s.tiles.is_empty() {
        "Waiting for others to join…".to_owned()
    } else {
        format!("{} in the call", s.tiles.len() + 1)
    };
    html! {
        <section class="call active mesh" aria-label="Room call" data-phase={if s.joining { "joining" } else { "active" }}>
            <p class="who">{ room_name }<span class="status">{ status }</span></p>
            <div class={classes!("grid", spot.is_some().then_some("spot"))} data-tiles={(s.tiles.len() + 1).to_string()}>
                { my_tile(s, on) }
                { for s.tiles.iter().map(|t| tile(t, s.speaker == Some(t.user.id), spot == Some(Some(t.user.id)), on)) }
            </div>
            if s.server_lost {
                <p class="reconnecting" role="status">{ "Server connection lost; the call goes on" }</p>
            }
            { recording_notices(s) }
            if let Some(w) = &s.warning { <p class="warning" role="alert">{ w }</p> }
            if let Some(shot) = &s.shot { { super::shot::shot(shot) } }
            { controls(s, (true, can_share, can_record), "Leave call", on) }
            <div class="devices">
                { device_picker("Microphone", "audio", &s.devices, &s.mic_id, &on_device) }
                if s.local.as_ref().is_some_and(|l| l.get_video_tracks().length() > 0) {
                    { device_picker("Camera", "video", &s.devices, &s.camera_id, &on_device) }
                }
            </div>
        </section>
    }
}
