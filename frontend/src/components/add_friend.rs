//! Find a user by exact username and send a friend request.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`AddFriend`].
#[derive(Properties, PartialEq)]
pub struct AddFriendProps {
    /// Called with the username to ask.
    pub on_add: Callback<String>,
    /// The last failure, if any.
    pub error: Option<String>,
}

/// A username field and an "Add friend" button.
#[component]
pub fn AddFriend(props: &AddFriendProps) -> Html {
    let input = use_node_ref();
    let onsubmit = {
        let (input, on_add) = (input.clone(), props.on_add.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(i) = input.cast::<HtmlInputElement>() {
                on_add.emit(i.value());
                i.set_value("");
            }
        })
    };
    html! {
        <form class="add-friend" {onsubmit}>
            <input ref={input} aria-label="Friend's username" placeholder="Friend's exact username" autocomplete="off" />
            <button type="submit">{ "Add friend" }</button>
            if let Some(e) = &props.error {
                <p class="error" role="alert">{ e }</p>
            }
        </form>
    }
}
