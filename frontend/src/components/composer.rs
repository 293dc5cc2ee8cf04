//! The message field and the "Send" button. Enter sends; Shift+Enter is a new line.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Props of [`Composer`].
#[derive(Properties, PartialEq)]
pub struct ComposerProps {
    /// Send this text.
    pub on_send: Callback<String>,
    /// The user typed something.
    pub on_typing: Callback<()>,
}

/// The composer.
#[component]
pub fn Composer(props: &ComposerProps) -> Html {
    let field = use_node_ref();
    let send = {
        let (field, on_send) = (field.clone(), props.on_send.clone());
        move || {
            if let Some(f) = field.cast::<HtmlTextAreaElement>() {
                let text = f.value();
                if !text.trim().is_empty() {
                    on_send.emit(text);
                    f.set_value("");
                }
                let _ = f.focus();
            }
        }
    };
    let onsubmit = {
        let send = send.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send();
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" && !e.shift_key() && !e.is_composing() {
            e.prevent_default();
            send();
        }
    });
    let oninput = props.on_typing.reform(|_: InputEvent| ());
    html! {
        <form class="composer" {onsubmit}>
            <textarea ref={field} aria-label="Message" placeholder="Write a message" rows="1"
                      maxlength="4000" {onkeydown} {oninput} />
            <button type="submit">{ "Send" }</button>
        </form>
    }
}
