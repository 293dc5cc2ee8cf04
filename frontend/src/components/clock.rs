//! Time elapsed since a moment, as `m:ss`, re-rendered every second.

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::state::chat::duration;

/// Props of [`Clock`].
#[derive(Properties, PartialEq)]
pub struct ClockProps {
    /// Since when (ms since the epoch).
    pub since_ms: f64,
    /// Accessible name.
    pub label: AttrValue,
}

/// The elapsed time.
#[component]
pub fn Clock(props: &ClockProps) -> Html {
    let now = use_state(js_sys::Date::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let tick = Interval::new(1000, move || now.set(js_sys::Date::now()));
            move || drop(tick)
        });
    }
    let secs = ((*now - props.since_ms) / 1000.0).max(0.0) as u32;
    html! { <span class="duration" role="timer" aria-label={props.label.clone()}>{ duration(secs) }</span> }
}
