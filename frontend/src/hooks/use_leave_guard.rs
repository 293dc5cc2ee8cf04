//! `use_leave_guard(active)`: while `active`, closing or reloading the page first asks the
//! browser's "Leave site?" question. Recordings live in the page, so leaving loses them.

use gloo::events::{EventListener, EventListenerOptions};
use yew::prelude::*;

/// Asks before the page goes while `active`.
#[hook]
pub fn use_leave_guard(active: bool) {
    use_effect_with(active, |active| {
        let listener = active.then(web_sys::window).flatten().map(|window| {
            EventListener::new_with_options(
                &window,
                "beforeunload",
                EventListenerOptions::enable_prevent_default(),
                |e| {
                    e.prevent_default();
                    // Older browsers ask only when `returnValue` is set.
                    let _ = js_sys::Reflect::set(e, &"returnValue".into(), &"".into());
                },
            )
        });
        move || drop(listener)
    });
}
