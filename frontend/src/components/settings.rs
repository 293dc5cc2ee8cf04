//! Call settings: audio processing switches (used from the next call on).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::webrtc::media::MediaPrefs;

/// Props of [`Settings`].
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The current settings.
    pub prefs: MediaPrefs,
    /// Save new settings.
    pub on_change: Callback<MediaPrefs>,
}

/// A "Settings" button and its panel.
#[component]
pub fn Settings(props: &SettingsProps) -> Html {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let checkbox = |label: &'static str, on: bool, set: fn(&mut MediaPrefs, bool)| {
        let (prefs, cb) = (props.prefs, props.on_change.clone());
        let onchange = Callback::from(move |e: Event| {
            let mut next = prefs;
            set(
                &mut next,
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            );
            cb.emit(next);
        });
        html! { <label><input type="checkbox" checked={on} {onchange} />{ label }</label> }
    };
    html! {
        <div class="settings">
            <button class="secondary" aria-expanded={open.to_string()} onclick={toggle}>{ "Settings" }</button>
            if *open {
                <fieldset class="settings-panel">
                    <legend>{ "Calls" }</legend>
                    { checkbox("Echo cancellation", props.prefs.echo_cancellation, |p, v| p.echo_cancellation = v) }
                    { checkbox("Noise suppression", props.prefs.noise_suppression, |p, v| p.noise_suppression = v) }
                    { checkbox("Automatic gain control", props.prefs.auto_gain, |p, v| p.auto_gain = v) }
                    <p class="muted">{ "Used from your next call on." }</p>
                </fieldset>
            }
        </div>
    }
}
