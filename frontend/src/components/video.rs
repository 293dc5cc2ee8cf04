//! A `<video>` showing a MediaStream (only `NodeRef` wiring: `srcObject` is set here).
//!
//! A `<video>` given a new stream reloads, and shows nothing until the new stream's first
//! frame. A room tile is therefore given one stream for the whole call
//! (`webrtc::remotes::Remote::show`) whose tracks change instead: the player keeps the last
//! frame until the new track's first, so a move to the media relay shows no black.

use web_sys::{HtmlMediaElement, MediaStream};
use yew::prelude::*;

/// Props of [`Video`].
#[derive(Properties, PartialEq)]
pub struct VideoProps {
    /// What to show.
    pub stream: Option<MediaStream>,
    /// Mute it (always for one's own preview, to avoid echo).
    #[prop_or_default]
    pub muted: bool,
    /// CSS class.
    #[prop_or_default]
    pub class: Classes,
    /// Accessible name.
    pub label: AttrValue,
}

/// The video element.
#[component]
pub fn Video(props: &VideoProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.stream.clone(), move |stream| {
            if let Some(el) = node.cast::<HtmlMediaElement>() {
                el.set_src_object(stream.as_ref());
            }
        });
    }
    html! {
        <video ref={node} class={props.class.clone()} aria-label={props.label.clone()}
               autoplay=true playsinline=true muted={props.muted} />
    }
}
