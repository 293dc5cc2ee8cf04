//! The scrolling list of messages. Text is rendered as text, never as HTML.

use yew::prelude::*;

use hearth_shared::ClientMsgId;

/// One line to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// A stable key.
    pub key: String,
    /// The message.
    pub text: String,
    /// Whether I wrote it (for a call: whether I called).
    pub mine: bool,
    /// Whether this is a call's entry rather than text.
    pub call: bool,
    /// When (ms since the epoch).
    pub at_ms: f64,
    /// For my messages: sending, sent, delivered, read, not sent.
    pub status: Option<&'static str>,
    /// For refused messages: the id and why.
    pub failed: Option<(ClientMsgId, String)>,
}

/// Props of [`MessageList`].
#[derive(Properties, PartialEq)]
pub struct MessageListProps {
    /// Oldest first.
    pub lines: Vec<Line>,
    /// Whether older messages exist.
    pub has_more: bool,
    /// Whether a page is loading.
    pub loading: bool,
    /// Ask for older messages.
    pub on_load_older: Callback<()>,
    /// Give up on a refused message.
    pub on_discard: Callback<ClientMsgId>,
}

fn time(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// The list; keeps the newest message in view as messages arrive, and asks for older ones
/// when scrolled to the top.
#[component]
pub fn MessageList(props: &MessageListProps) -> Html {
    let list = use_node_ref();
    let newest = props.lines.last().map(|l| l.key.clone());
    {
        let list = list.clone();
        use_effect_with(newest, move |_| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let onscroll = {
        let (list, older) = (list.clone(), props.on_load_older.clone());
        let ready = props.has_more && !props.loading;
        Callback::from(move |_: Event| {
            if ready
                && list
                    .cast::<web_sys::Element>()
                    .is_some_and(|el| el.scroll_top() < 40)
            {
                older.emit(());
            }
        })
    };
    let older = props.on_load_older.reform(|_: MouseEvent| ());
    html! {
        <div class="messages" ref={list} {onscroll} role="log" aria-label="Messages" aria-live="polite">
            if props.loading {
                <p class="muted" role="status">{ "Loading messages…" }</p>
            } else if props.has_more {
                <button class="secondary older" onclick={older}>{ "Load older messages" }</button>
            }
            { for props.lines.iter().map(|l| {
                let discard = l.failed.clone().map(|(id, _)| {
                    let cb = props.on_discard.clone();
                    Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
                });
                html! {
                    <div key={l.key.clone()} class={classes!("msg", if l.mine { "mine" } else { "theirs" }, l.call.then_some("call-entry"))}
                         data-status={l.status.unwrap_or("")}>
                        <p class="text">{ &l.text }</p>
                        <p class="meta">
                            <span>{ time(l.at_ms) }</span>
                            if let Some(s) = l.status { <span class="status">{ s }</span> }
                        </p>
                        if let (Some((_, why)), Some(discard)) = (&l.failed, discard) {
                            <p class="error">{ why }
                                <button class="link" onclick={discard}>{ "Discard" }</button>
                            </p>
                        }
                    </div>
                }
            }) }
        </div>
    }
}
