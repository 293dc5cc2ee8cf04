//! The scrolling list of messages. Text is rendered as text, never as HTML.

use yew::prelude::*;

use crate::state::chat::{call_label, Conv, Delivery, Outgoing};
use hearth_shared::{ClientMsgId, UserId};

/// One line to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// A stable key.
    pub key: String,
    /// The message.
    pub text: String,
    /// Whether I wrote it (for a call: whether I called).
    pub mine: bool,
    /// Who wrote it, where that is not plain (someone else's message in a room).
    pub author: Option<String>,
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

fn status_label(d: Delivery) -> &'static str {
    match d {
        Delivery::Sending => "sending",
        Delivery::Failed => "not sent",
        Delivery::Sent => "sent",
        Delivery::Delivered => "delivered",
        Delivery::Read => "read",
    }
}

/// The lines of a conversation as `me` sees it: what is stored, then my messages still
/// sending. `name_of` names the author of someone else's message (in a room; `None` in a
/// conversation of two).
pub fn lines(
    me: UserId,
    conv: &Conv,
    outbox: &[Outgoing],
    name_of: &dyn Fn(UserId) -> Option<String>,
) -> Vec<Line> {
    let stored = conv.messages.values().map(|m| {
        let mine = m.author == me;
        let text = m
            .call
            .as_ref()
            .map_or_else(|| m.text.clone(), |c| call_label(c, mine));
        Line {
            key: format!("s{}", m.seq.0),
            text,
            mine,
            author: if mine { None } else { name_of(m.author) },
            call: m.call.is_some(),
            at_ms: m.sent_at_ms as f64,
            status: (mine && m.call.is_none()).then(|| status_label(conv.delivery(m.seq))),
            failed: None,
        }
    });
    let pending = outbox.iter().map(|o| Line {
        key: format!("p{}", o.pending.client_id.0),
        text: o.pending.text.clone(),
        mine: true,
        author: None,
        call: false,
        at_ms: o.pending.created_ms,
        status: Some(status_label(if o.failed.is_some() {
            Delivery::Failed
        } else {
            Delivery::Sending
        })),
        failed: o
            .failed
            .clone()
            .map(|why| (o.pending.client_id.clone(), why)),
    });
    stored.chain(pending).collect()
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
                        if let Some(author) = &l.author { <p class="author">{ author }</p> }
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
