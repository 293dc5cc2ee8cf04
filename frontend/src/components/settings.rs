//! Call settings: audio processing switches (used from the next call on), and the
//! connection test's button and findings.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::ConnTest;
use crate::webrtc::media::MediaPrefs;

/// Props of [`Settings`].
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The current settings.
    pub prefs: MediaPrefs,
    /// Save new settings.
    pub on_change: Callback<MediaPrefs>,
    /// The connection test.
    pub test: ConnTest,
    /// Run the connection test.
    pub on_test: Callback<()>,
}

/// The connection test: its button, progress, findings and verdict.
fn connection_test(test: &ConnTest, on_test: &Callback<()>) -> Html {
    let on_click = on_test.reform(|_: MouseEvent| ());
    let running = *test == ConnTest::Running;
    html! {
        <section class="conn-test" aria-label="Connection test">
            <button class="secondary" disabled={running} onclick={on_click}>{ "Test connection" }</button>
            if running { <p role="status">{ "Testing the connection…" }</p> }
            if let ConnTest::Done(report) = test {
                <ul>
                    { for report.findings.iter().map(|(path, outcome)| html! {
                        <li data-path={path.key()}>{ format!("{}: {}", path.label(), outcome.label()) }</li>
                    }) }
                </ul>
                <p class="verdict" role="status">{ &report.verdict }</p>
            }
        </section>
    }
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
                    { connection_test(&props.test, &props.on_test) }
                </fieldset>
            }
        </div>
    }
}
