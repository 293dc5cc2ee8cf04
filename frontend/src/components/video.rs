//! A `<video>` showing a MediaStream (only `NodeRef` wiring: `srcObject` is set here).
//!
//! A `<video>` given a new stream reloads, and shows nothing until the new stream's first
//! frame, a few hundred ms on a busy machine. With `seamless`, a new stream plays first in a
//! second, invisible and silent element, which takes the old one's place once it has a
//! frame (or after [`STANDBY_MS`]): a room call moving to the media relay changes every
//! picture's stream, and no picture goes black.

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use web_sys::{HtmlMediaElement, MediaStream};
use yew::prelude::*;

/// The longest a new stream plays unseen before it is shown anyway.
const STANDBY_MS: u32 = 2_000;

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
    /// Keep showing the old stream until a new one has a frame.
    #[prop_or_default]
    pub seamless: bool,
}

/// What the elements show: the stream in view, and one getting ready to replace it; each
/// with the key of its element.
#[derive(Clone, PartialEq, Default)]
struct Slots {
    shown: Option<(u32, MediaStream)>,
    standby: Option<(u32, MediaStream)>,
    next: u32,
}

/// What changes the slots.
enum Change {
    /// A stream to show (`seamless` or not).
    Show(Option<MediaStream>, bool),
    /// The stream on standby with this key has a frame.
    Ready(u32),
}

impl Reducible for Slots {
    type Action = Change;

    fn reduce(self: std::rc::Rc<Self>, action: Change) -> std::rc::Rc<Self> {
        std::rc::Rc::new(match action {
            Change::Show(stream, seamless) => self.change(stream, seamless),
            Change::Ready(key) => self.ready(key),
        })
    }
}

impl Slots {
    /// `stream` is to be shown: at once, or (`seamless`, with a picture already shown) once
    /// it is ready.
    fn change(&self, stream: Option<MediaStream>, seamless: bool) -> Slots {
        let next = self.next + 1;
        match stream {
            Some(s) if seamless && self.shown.is_some() => Slots {
                shown: self.shown.clone(),
                standby: Some((next, s)),
                next,
            },
            s => Slots {
                shown: s.map(|s| (next, s)),
                standby: None,
                next,
            },
        }
    }

    /// The stream on standby `key` is ready: it is shown, the old one goes.
    fn ready(&self, key: u32) -> Slots {
        match &self.standby {
            Some((k, _)) if *k == key => Slots {
                shown: self.standby.clone(),
                standby: None,
                next: self.next,
            },
            _ => self.clone(),
        }
    }
}

/// The video element.
#[component]
pub fn Video(props: &VideoProps) -> Html {
    let slots = use_reducer(Slots::default);
    {
        let slots = slots.dispatcher();
        let seamless = props.seamless;
        use_effect_with(props.stream.clone(), move |stream| {
            slots.dispatch(Change::Show(stream.clone(), seamless));
        });
    }
    let player = |(key, stream): &(u32, MediaStream), standby: bool| {
        let key = *key;
        let on_ready = {
            let slots = slots.dispatcher();
            Callback::from(move |()| slots.dispatch(Change::Ready(key)))
        };
        html! {
            <Player key={key} stream={crate::webrtc::media::handle(stream)} muted={props.muted || standby}
                    class={props.class.clone()} label={props.label.clone()} {standby} {on_ready} />
        }
    };
    html! {
        <>
            { for slots.shown.iter().map(|s| player(s, false)) }
            { for slots.standby.iter().map(|s| player(s, true)) }
        </>
    }
}

/// Props of [`Player`].
#[derive(Properties, PartialEq)]
struct PlayerProps {
    stream: MediaStream,
    muted: bool,
    class: Classes,
    label: AttrValue,
    /// Playing unseen, until `on_ready`.
    standby: bool,
    on_ready: Callback<()>,
}

/// One element playing one stream; on standby it says when it has a frame.
#[component]
fn Player(props: &PlayerProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        let (standby, on_ready) = (props.standby, props.on_ready.clone());
        use_effect_with(crate::webrtc::media::handle(&props.stream), move |stream| {
            let el = node.cast::<HtmlMediaElement>();
            if let Some(el) = &el {
                el.set_src_object(Some(stream));
            }
            let waiting = (el.filter(|_| standby)).map(|el| {
                let ready = on_ready.clone();
                let listener = EventListener::once(&el, "loadeddata", move |_| ready.emit(()));
                (
                    listener,
                    Timeout::new(STANDBY_MS, move || on_ready.emit(())),
                )
            });
            move || drop(waiting)
        });
    }
    {
        // `muted` as an attribute only sets the element's first state: a standby player
        // that is shown now must be heard.
        let node = node.clone();
        use_effect_with(props.muted, move |muted| {
            if let Some(el) = node.cast::<HtmlMediaElement>() {
                el.set_muted(*muted);
            }
        });
    }
    let class = classes!(props.class.clone(), props.standby.then_some("standby"));
    html! {
        <video ref={node} {class} aria-label={props.label.clone()} aria-hidden={props.standby.then_some("true")}
               autoplay=true playsinline=true muted={props.muted} />
    }
}
