//! The connection state, as a short live status.

use yew::prelude::*;

use crate::services::socket::ConnStatus;

/// "Connected", "Connecting…" or "Reconnecting…".
pub fn conn_banner(status: ConnStatus) -> Html {
    let (class, text) = match status {
        ConnStatus::Connected => ("ok", "Connected".to_owned()),
        ConnStatus::Connecting => ("wait", "Connecting…".to_owned()),
        ConnStatus::Reconnecting { in_ms, .. } => (
            "wait",
            format!("Reconnecting… (next try in {} s)", in_ms.div_ceil(1000)),
        ),
        ConnStatus::LoggedOut => ("bad", "Signed out".to_owned()),
    };
    html! { <span class={classes!("conn", class)} role="status" data-conn={class}>{ text }</span> }
}
