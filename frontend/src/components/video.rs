//! A `<video>` showing a MediaStream (only `NodeRef` wiring: `srcObject` is set here).
//!
//! A `<video>` given a new stream reloads, and shows nothing until the new stream's first
//! frame: a few hundred ms on a busy machine. With `seamless` there are two elements: a new
//! stream plays first in the one out of view (class `standby`, silent, hidden from assistive
//! technology), and the two trade places once it has a frame. A room call moving to the
//! media relay changes every picture's stream, and none goes black. If the frame is slow
//! (a loaded machine, a stalled stream), its sound is heard after [`STANDBY_MS`] while the
//! old picture stays in view; it is shown without a frame only after [`PICTURE_MS`].

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use web_sys::{HtmlMediaElement, MediaStream};
use yew::prelude::*;

/// The longest a new stream plays out of view before its sound is heard.
const STANDBY_MS: u32 = 2_000;

/// The longest a new stream plays out of view before its picture is shown with no frame.
const PICTURE_MS: u32 = 10_000;

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
    /// Called when a new stream comes into view (with `seamless`).
    #[prop_or_default]
    pub on_shown: Callback<()>,
}

/// The two elements of a seamless video: which one is in view, and the wait for the other.
#[derive(Default)]
struct Pair {
    /// The second element is the one in view.
    flipped: bool,
    /// A stream is in view.
    showing: bool,
    /// Counts the streams given, so a late "ready" of an earlier one does nothing.
    generation: u32,
    wait: Option<(EventListener, Timeout, Timeout)>,
}

/// What a seamless video works with.
#[derive(Clone)]
struct Els {
    a: NodeRef,
    b: NodeRef,
    pair: Rc<RefCell<Pair>>,
    muted: bool,
    on_shown: Callback<()>,
}

impl Els {
    /// (in view, out of view).
    fn elements(&self) -> Option<(HtmlMediaElement, HtmlMediaElement)> {
        let (a, b) = (self.a.cast()?, self.b.cast()?);
        Some(if self.pair.borrow().flipped {
            (b, a)
        } else {
            (a, b)
        })
    }

    /// Shows `stream`: at once, or out of view first when one is already in view.
    fn show(&self, stream: Option<&MediaStream>) {
        let Some((front, back)) = self.elements() else {
            return;
        };
        let mut pair = self.pair.borrow_mut();
        pair.generation += 1;
        pair.wait = None;
        match stream {
            Some(s) if pair.showing => {
                back.set_src_object(Some(s));
                let generation = pair.generation;
                let (on_frame, on_sound, on_time) = (self.clone(), self.clone(), self.clone());
                let listener = EventListener::once(&back, "loadeddata", move |_| {
                    on_frame.trade(generation);
                });
                let sound = Timeout::new(STANDBY_MS, move || on_sound.hear(generation));
                let picture = Timeout::new(PICTURE_MS, move || on_time.trade(generation));
                pair.wait = Some((listener, sound, picture));
            }
            s => {
                front.set_src_object(s);
                back.set_src_object(None);
                pair.showing = s.is_some();
                drop(pair);
                if s.is_some() {
                    self.on_shown.emit(());
                }
            }
        }
    }

    /// Stream `generation`, still out of view with no frame, is heard instead of the old one.
    fn hear(&self, generation: u32) {
        let Some((front, back)) = self.elements() else {
            return;
        };
        if self.pair.borrow().generation == generation && back.src_object().is_some() {
            back.set_muted(self.muted);
            front.set_muted(true);
        }
    }

    /// The element out of view has stream `generation` ready: the two trade places.
    fn trade(&self, generation: u32) {
        let Some((front, back)) = self.elements() else {
            return;
        };
        {
            let mut pair = self.pair.borrow_mut();
            if pair.generation != generation || back.src_object().is_none() {
                return;
            }
            pair.flipped = !pair.flipped;
        }
        let shown: Vec<String> = (back.class_name().split_whitespace())
            .filter(|c| *c != "standby")
            .map(str::to_owned)
            .collect();
        back.set_class_name(&shown.join(" "));
        let _ = back.remove_attribute("aria-hidden");
        back.set_muted(self.muted);
        front.set_class_name(&format!("{} standby", front.class_name()));
        let _ = front.set_attribute("aria-hidden", "true");
        front.set_muted(true);
        front.set_src_object(None);
        self.on_shown.emit(());
    }
}

/// The video element (two with `seamless`).
#[component]
pub fn Video(props: &VideoProps) -> Html {
    let (a, b) = (use_node_ref(), use_node_ref());
    let pair = use_mut_ref(Pair::default);
    {
        let els = Els {
            a: a.clone(),
            b: b.clone(),
            pair,
            muted: props.muted,
            on_shown: props.on_shown.clone(),
        };
        let seamless = props.seamless;
        use_effect_with(props.stream.clone(), move |stream| match seamless {
            true => els.show(stream.as_ref()),
            false => {
                if let Some(el) = els.a.cast::<HtmlMediaElement>() {
                    el.set_src_object(stream.as_ref());
                }
            }
        });
    }
    let video = |node: &NodeRef, standby: bool| {
        html! {
            <video ref={node.clone()} class={classes!(props.class.clone(), standby.then_some("standby"))}
                   aria-label={props.label.clone()} aria-hidden={standby.then_some("true")}
                   autoplay=true playsinline=true muted={props.muted || standby} />
        }
    };
    html! {
        <>
            { video(&a, false) }
            if props.seamless { { video(&b, true) } }
        </>
    }
}
