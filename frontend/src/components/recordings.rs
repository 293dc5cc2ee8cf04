//! The recordings made in this page: a list (play, download, delete) and the player a
//! recording opens in once saved. Plain functions of the page's props rather than
//! components: they hold no state, and each component costs the bundle its own machinery.

use yew::prelude::*;

use super::record_controls::size_label;
use crate::state::chat::duration;
use crate::state::recordings::Recordings;
use crate::webrtc::recording::Recorded;

/// What [`recording_list`] and [`player`] show, and where their buttons go.
pub struct RecordingsProps {
    /// The list.
    pub state: Recordings,
    /// Open one in the player (by URL).
    pub on_play: Callback<String>,
    /// Forget one (by URL).
    pub on_delete: Callback<String>,
    /// Close the player.
    pub on_close: Callback<()>,
}

fn facts(r: &Recorded) -> String {
    let length = r
        .duration_ms
        .map(|ms| format!("{} · ", duration((ms / 1000.0).round() as u32)))
        .unwrap_or_default();
    let kind = if r.audio_only { "sound" } else { "video" };
    format!("{kind} · {length}{}", size_label(r.bytes))
}

fn download(r: &Recorded) -> Html {
    html! { <a class="button secondary" href={r.url.clone()} download={r.name.clone()}>{ "Download" }</a> }
}

/// The list (nothing until a recording is made).
pub fn recording_list(props: &RecordingsProps) -> Html {
    let s = &props.state;
    if s.items.is_empty() && s.saving == 0 && s.error.is_none() {
        return html! {};
    }
    html! {
        <section class="recordings" aria-label="Recordings">
            <h2>{ "Recordings" }</h2>
            if s.saving > 0 { <p role="status">{ "Saving the recording…" }</p> }
            if let Some(e) = &s.error { <p class="warning" role="alert">{ e }</p> }
            <ul>
                { for s.items.iter().map(|r| {
                    let (play, delete) = (props.on_play.clone(), props.on_delete.clone());
                    let (u1, u2) = (r.url.clone(), r.url.clone());
                    html! {
                        <li key={r.url.clone()}>
                            <span class="name">{ &r.name }</span>
                            <span class="facts">{ facts(r) }</span>
                            <span class="actions">
                                <button class="secondary" onclick={move |_| play.emit(u1.clone())}>{ "Play" }</button>
                                { download(r) }
                                <button class="secondary" onclick={move |_| delete.emit(u2.clone())}>{ "Delete" }</button>
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// The recording being played, over everything else; or, when the last one could not be
/// saved, why (the list that also says so is out of sight on a phone during a call).
pub fn player(props: &RecordingsProps) -> Html {
    let close = props.on_close.clone();
    let Some(r) = props.state.playing() else {
        return match &props.state.error {
            Some(e) => html! {
                <section class="player" role="alertdialog" aria-label="Recording not saved">
                    <p class="warning">{ e }</p>
                    <div class="controls">
                        <button class="secondary" onclick={move |_| close.emit(())}>{ "Close" }</button>
                    </div>
                </section>
            },
            None => html! {},
        };
    };
    let media = if r.audio_only {
        html! { <audio src={r.url.clone()} controls=true aria-label="Recording player" /> }
    } else {
        html! { <video src={r.url.clone()} controls=true playsinline=true aria-label="Recording player" /> }
    };
    html! {
        <section class="player" role="dialog" aria-label="Recording">
            <p class="name">{ &r.name }</p>
            { media }
            <p class="facts">{ facts(r) }</p>
            <div class="controls">
                { download(r) }
                <button class="secondary" onclick={move |_| close.emit(())}>{ "Close" }</button>
            </div>
        </section>
    }
}
