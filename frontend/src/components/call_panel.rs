//! The call screen: an incoming-call dialog, "Ringing…", the in-call view (friend's
//! picture or avatar, own preview, duration, controls), and the "call ended" notice.

use yew::prelude::*;

use super::call_quality::CallQuality;
use super::clock::Clock;
use super::record_controls::RecordControls;
use super::video::Video;
use crate::hooks::CallIntent;
use crate::state::call::{CallState, Phase};
use crate::webrtc::call::Ending;
use hearth_shared::call::{CallKind, EndReason};

/// What [`call_panel`] shows, and where its buttons go.
pub struct CallPanelProps {
    /// What to show.
    pub state: CallState,
    /// Whether this browser can share a screen.
    pub can_share: bool,
    /// Whether this browser can record.
    pub can_record: bool,
    /// What the buttons ask for.
    pub on: Callback<CallIntent>,
}

fn kind_label(kind: CallKind) -> &'static str {
    match kind {
        CallKind::Voice => "Voice call",
        CallKind::Video => "Video call",
    }
}

/// Why a call ended, for people.
pub fn ending_label(e: &Ending) -> String {
    match e {
        Ending::HungUp | Ending::Server(EndReason::HungUp) => "Call ended".into(),
        Ending::Declined => "You declined".into(),
        Ending::Server(EndReason::Declined) => "Declined".into(),
        Ending::Server(EndReason::Cancelled) => "They hung up before you answered".into(),
        Ending::Server(EndReason::Missed) => "No answer".into(),
        Ending::Server(EndReason::Busy) => "Busy: they are in another call".into(),
        Ending::Server(EndReason::Disconnected) => "Connection lost".into(),
        Ending::Server(EndReason::AnsweredElsewhere) => "Answered on another device".into(),
        Ending::Server(EndReason::Removed) => "You are no longer in the room".into(),
        // A direct call is never a broadcast.
        Ending::Server(EndReason::BroadcastEnded | EndReason::Unknown) => "Call ended".into(),
        Ending::Failed(why) => why.clone(),
    }
}

fn button(
    label: &'static str,
    class: &'static str,
    on: &Callback<CallIntent>,
    i: CallIntent,
) -> Html {
    let on = on.clone();
    html! { <button class={class} onclick={move |_| on.emit(i.clone())}>{ label }</button> }
}

/// The call screen (nothing when idle). A function of the call screen's state rather than a
/// component: the call screen re-renders it on every change anyway.
pub fn call_panel(props: &CallPanelProps) -> Html {
    let s = &props.state;
    let on_device = props.on.reform(|(kind, id)| CallIntent::Device(kind, id));
    let warning = s
        .warning
        .as_ref()
        .map(|w| html! { <p class="warning" role="alert">{ w }</p> });
    match &s.phase {
        Phase::Idle => html! {},
        Phase::Incoming(call) => html! {
            <section class="call incoming" role="alertdialog" aria-label="Incoming call">
                <p class="who">{ format!("{} is calling", call.peer.username) }</p>
                <p class="kind">{ kind_label(call.kind) }</p>
                <div class="controls">
                    { button("Accept", "accept", &props.on, CallIntent::Accept) }
                    { button("Decline", "danger", &props.on, CallIntent::Decline) }
                    if s.ringing_audible { { button("Silence", "secondary", &props.on, CallIntent::Silence) } }
                </div>
            </section>
        },
        Phase::Dialing { peer, kind } => html! {
            <section class="call outgoing" role="dialog" aria-label="Outgoing call">
                <p class="who">{ format!("Calling {}…", peer.username) }</p>
                <p class="kind">{ kind_label(*kind) }</p>
                { warning }
                <div class="controls">{ button("Cancel", "danger", &props.on, CallIntent::HangUp) }</div>
            </section>
        },
        Phase::Ringing(call) => html! {
            <section class="call outgoing" role="dialog" aria-label="Outgoing call">
                <p class="who">{ call.peer.username.clone() }</p>
                <p class="kind" role="status">{ "Ringing…" }</p>
                { warning }
                <div class="controls">{ button("Cancel", "danger", &props.on, CallIntent::HangUp) }</div>
            </section>
        },
        Phase::Connecting(call) | Phase::Active { call, .. } => {
            let since = match &s.phase {
                Phase::Active { since_ms, .. } => Some(*since_ms),
                _ => None,
            };
            let show_remote_video = s.remote_video
                && s.remote
                    .as_ref()
                    .is_some_and(|r| r.get_video_tracks().length() > 0);
            let name = call.peer.username.clone();
            let initial = crate::text::initial(&name);
            html! {
                <section class="call active" role="dialog" aria-label={format!("Call with {name}")}
                         data-phase={if since.is_some() { "active" } else { "connecting" }}>
                    <div class="stage">
                        <Video stream={s.remote.clone()}
                               label={if s.remote_screen { "Friend's screen" } else { "Friend's video" }}
                               class={classes!("remote", (!show_remote_video).then_some("hidden"))} />
                        if show_remote_video && s.remote_screen {
                            <span class="screen-flag" role="status">{ format!("{name} is sharing their screen") }</span>
                        }
                        if !show_remote_video {
                            <div class="avatar" aria-label={format!("{name}'s camera is off")}>{ initial }</div>
                        }
                        if s.screen.is_some() {
                            <Video stream={s.screen.clone()} muted=true label="Your screen" class="local screen" />
                        } else if s.has_video {
                            <Video stream={s.local.clone()} muted=true label="Your video"
                                   class={classes!("local", (!s.cam_on).then_some("hidden"))} />
                        }
                    </div>
                    <p class="status">
                        <span class="who">{ name.clone() }</span>
                        if let Some(since_ms) = since { <Clock {since_ms} label="Call duration" /> } else { <span role="status">{ "Connecting…" }</span> }
                        if s.reconnecting { <span class="reconnecting" role="status">{ "Reconnecting…" }</span> }
                        if s.server_lost {
                            <span class="reconnecting" role="status">{ "Server connection lost; the call goes on" }</span>
                        }
                        if s.relayed { <span class="relayed-flag" role="status">{ "Relayed through the server" }</span> }
                        if !s.remote_audio { <span class="muted-flag">{ "muted" }</span> }
                        if s.remote_recording {
                            <span class="rec-flag" role="status">{ format!("{name} is recording") }</span>
                        }
                        <CallQuality samples={s.quality.clone()} />
                    </p>
                    { warning }
                    <div class="controls">
                        if s.mic_on { { button("Mute", "secondary", &props.on, CallIntent::ToggleMic) } }
                        else { { button("Unmute", "secondary", &props.on, CallIntent::ToggleMic) } }
                        if s.has_video {
                            if s.cam_on { { button("Camera off", "secondary", &props.on, CallIntent::ToggleCamera) } }
                            else { { button("Camera on", "secondary", &props.on, CallIntent::ToggleCamera) } }
                        } else {
                            { button("Turn on video", "secondary", &props.on, CallIntent::AddVideo) }
                        }
                        if s.screen.is_some() { { button("Stop sharing", "secondary", &props.on, CallIntent::StopSharing) } }
                        else if props.can_share { { button("Share screen", "secondary", &props.on, CallIntent::ShareScreen) } }
                        if show_remote_video { { button("Screenshot", "secondary", &props.on, CallIntent::Screenshot { mine: false }) } }
                        if s.screen.is_some() || (s.has_video && s.cam_on) {
                            { button("Screenshot of me", "secondary", &props.on, CallIntent::Screenshot { mine: true }) }
                        }
                        { button("Hang up", "danger", &props.on, CallIntent::HangUp) }
                    </div>
                    if props.can_record && since.is_some() {
                        <RecordControls status={s.recording} voice={!s.has_video && !show_remote_video}
                                        on_record={props.on.reform(CallIntent::Record)} on_stop={props.on.reform(|()| CallIntent::StopRecording)} />
                    }
                    if let Some(shot) = &s.shot { { super::shot::shot(shot) } }
                    <div class="devices">
                        { super::devices::device_picker("Microphone", "audio", &s.devices, &s.mic_id, &on_device) }
                        if s.has_video { { super::devices::device_picker("Camera", "video", &s.devices, &s.camera_id, &on_device) } }
                    </div>
                </section>
            }
        }
        Phase::Ended { peer, ending } => html! {
            <section class="call ended" role="dialog" aria-label="Call ended">
                <p class="who">{ peer.as_ref().map(|p| p.username.clone()).unwrap_or_default() }</p>
                <p class="kind" role="status" data-ending="true">{ ending_label(ending) }</p>
                { warning }
                <div class="controls">{ button("Close", "secondary", &props.on, CallIntent::Dismiss) }</div>
            </section>
        },
    }
}
