//! The call's recording controls: "Record" (with an "Audio only" choice), and while it runs
//! a red indicator with the elapsed time and the file's size, and "Stop recording".

use yew::prelude::*;

use super::clock::Clock;
use crate::state::call::RecordingStatus;

/// Props of [`RecordControls`].
#[derive(Properties, PartialEq)]
pub struct RecordControlsProps {
    /// The recording under way, if any.
    pub status: Option<RecordingStatus>,
    /// Neither side shows a picture: sound only is the first choice.
    pub voice: bool,
    /// Start (`true`: sound only).
    pub on_record: Callback<bool>,
    /// Stop.
    pub on_stop: Callback<()>,
}

/// A size for people: `850 KB`, `12.4 MB`.
pub fn size_label(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000))
    } else {
        format!("{}.{} MB", bytes / 1_000_000, bytes / 100_000 % 10)
    }
}

/// Record, or the running recording.
#[component]
pub fn RecordControls(props: &RecordControlsProps) -> Html {
    let audio_only = use_state(|| props.voice);
    if let Some(status) = props.status {
        let on_stop = props.on_stop.clone();
        let what = if status.audio_only {
            "Recording sound"
        } else {
            "Recording"
        };
        // The status is announced once; the time and size that change every second sit
        // outside it, so a screen reader is not told each tick.
        return html! {
            <div class="recording">
                <span class="rec" role="status" aria-label={what}>
                    <span class="dot" aria-hidden="true"></span>{ what }
                </span>
                <Clock since_ms={status.since_ms} label="Recording time" />
                <span class="size" aria-label="Recording size">{ size_label(status.bytes) }</span>
                <button class="danger" onclick={move |_| on_stop.emit(())}>{ "Stop recording" }</button>
            </div>
        };
    }
    let toggle = {
        let audio_only = audio_only.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            audio_only.set(input.checked());
        })
    };
    let record = {
        let (on_record, audio_only) = (props.on_record.clone(), *audio_only);
        Callback::from(move |_| on_record.emit(audio_only))
    };
    html! {
        <div class="recording">
            <button class="secondary" onclick={record}>{ "Record" }</button>
            <label class="choice">
                <input type="checkbox" checked={*audio_only} onchange={toggle} />{ " Audio only" }
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::size_label;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(size_label(0), "0 KB");
        assert_eq!(size_label(1), "1 KB");
        assert_eq!(size_label(850_000), "850 KB");
        assert_eq!(size_label(12_456_789), "12.4 MB");
    }
}
