//! The root: the session provider (who is signed in), then the router.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{home::Home, login::Login};
use crate::route::Route;
use crate::services::api;
use crate::state::session::{Session, SessionHandle};

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Login => html! { <Login /> },
        Route::NotFound => html! { <Redirect<Route> to={Route::Home} /> },
    }
}

/// The application.
#[component]
pub fn App() -> Html {
    let session = use_state(|| Session::Checking);
    {
        let session = session.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let next = match api::me().await {
                    Ok(Some(user)) => Session::SignedIn(user),
                    Ok(None) => Session::SignedOut,
                    Err(e) => {
                        gloo::console::warn!(e.message);
                        Session::SignedOut
                    }
                };
                session.set(next);
            });
        });
    }
    html! {
        <ContextProvider<SessionHandle> context={session}>
            <BrowserRouter>
                <Switch<Route> render={switch} />
            </BrowserRouter>
        </ContextProvider<SessionHandle>>
    }
}
