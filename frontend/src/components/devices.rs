//! Choosing a microphone or camera: a labelled list of the devices of that kind, shown when
//! there is a choice.

use yew::prelude::*;

use crate::webrtc::media::Device;

/// "Microphone" or "Camera" (`label`) for `kind` (`audio` or `video`), the `current` one
/// selected; `cb` gets the kind and the chosen device's id. Nothing with fewer than two.
pub fn device_picker(
    label: &'static str,
    kind: &'static str,
    devices: &[Device],
    current: &Option<String>,
    cb: &Callback<(&'static str, String)>,
) -> Html {
    let want = if kind == "audio" {
        "audioinput"
    } else {
        "videoinput"
    };
    let options: Vec<&Device> = devices.iter().filter(|d| d.kind == want).collect();
    if options.len() < 2 {
        return html! {};
    }
    let cb = cb.clone();
    let onchange = Callback::from(move |e: Event| {
        let id = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        cb.emit((kind, id));
    });
    html! {
        <label class="device">{ label }
            <select {onchange}>
                { for options.iter().map(|d| html! {
                    <option value={d.id.clone()} selected={current.as_deref() == Some(d.id.as_str())}>{ &d.label }</option>
                }) }
            </select>
        </label>
    }
}
