//! The signed-in home: waits for the session check, then shows the messenger.

use yew::prelude::*;
use yew_router::prelude::*;

use super::messenger::MessengerPage;
use crate::route::Route;
use crate::state::session::{Session, SessionHandle};

/// The home route.
#[component]
pub fn Home() -> Html {
    let session = use_context::<SessionHandle>().expect("session context");
    match &*session {
        Session::Checking => html! { <p class="loading" role="status">{ "Loading…" }</p> },
        Session::SignedOut => html! { <Redirect<Route> to={Route::Login} /> },
        Session::SignedIn(me) => html! { <MessengerPage me={me.clone()} /> },
    }
}
