//! The friends list: presence, "live" and unread badges; choosing one opens the
//! conversation.

use yew::prelude::*;

use hearth_shared::friends::Friend;
use hearth_shared::{ConversationId, UserId};

/// What [`friend_list`] shows, and where a choice goes.
pub struct FriendListProps {
    /// Friends in display order.
    pub friends: Vec<Friend>,
    /// Unread count per friend, same order.
    pub unread: Vec<u32>,
    /// The open conversation.
    pub active: Option<ConversationId>,
    /// Whether the roster has arrived.
    pub loaded: bool,
    /// Open a conversation.
    pub on_open: Callback<ConversationId>,
    /// The friends live to friends now.
    pub live: Vec<UserId>,
}

/// One button per friend.
pub fn friend_list(props: &FriendListProps) -> Html {
    if props.loaded && props.friends.is_empty() {
        return html! { <p class="muted">{ "No friends yet. Add one by their username." }</p> };
    }
    html! {
        <ul class="friends" aria-label="Friends list">
            { for props.friends.iter().zip(props.unread.iter().copied()).map(|(f, unread)| {
                let conv = f.conversation;
                let on_open = props.on_open.clone();
                let presence = if f.online { "online" } else { "offline" };
                let current = (props.active == Some(conv)).then_some("true");
                html! {
                    <li key={f.user.id.0}>
                        <button class="friend" aria-current={current} data-friend={f.user.username.clone()}
                                onclick={move |_| on_open.emit(conv)}>
                            <span class={classes!("dot", presence)} aria-hidden="true"></span>
                            <span class="name">{ &f.user.username }</span>
                            <span class="presence" data-presence={presence}>{ presence }</span>
                            if props.live.contains(&f.user.id) {
                                <span class="badge live">{ "live" }</span>
                            }
                            if unread > 0 {
                                <span class="badge" data-unread={unread.to_string()}
                                      aria-label={format!("{unread} unread")}>{ unread }</span>
                            }
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
