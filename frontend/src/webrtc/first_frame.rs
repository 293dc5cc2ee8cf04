//! Tells when a stream's picture has its first decoded frame without asking for statistics:
//! a `<video>` kept out of the document plays it, muted, and fires `loadeddata` once a
//! frame is there. Cheap and at once, where `getStats()` on a busy page takes up to a second.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{HtmlMediaElement, MediaStream};

/// Watches one stream until dropped.
pub struct FirstFrame {
    element: HtmlMediaElement,
    _listener: EventListener,
}

impl FirstFrame {
    /// Calls `on_frame` once `stream` has a picture to show (after the event, so it may
    /// drop this watcher); None if the page cannot make the element.
    pub fn watch(stream: &MediaStream, on_frame: impl FnOnce() + 'static) -> Option<FirstFrame> {
        let element: HtmlMediaElement = (gloo::utils::document().create_element("video"))
            .ok()?
            .dyn_into()
            .ok()?;
        element.set_muted(true);
        let listener = EventListener::once(&element, "loadeddata", move |_| {
            wasm_bindgen_futures::spawn_local(async move { on_frame() });
        });
        element.set_src_object(Some(stream));
        Some(FirstFrame {
            element,
            _listener: listener,
        })
    }
}

impl Drop for FirstFrame {
    fn drop(&mut self) {
        self.element.set_src_object(None);
    }
}
