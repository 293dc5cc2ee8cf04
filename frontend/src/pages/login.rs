//! Log in or sign up.

use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;
use crate::services::api;
use crate::state::session::{Session, SessionHandle};
use hearth_shared::api::{password_is_valid, username_is_valid, Credentials};

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    LogIn,
    SignUp,
}

fn check(creds: &Credentials, mode: Mode) -> Result<(), String> {
    if mode == Mode::SignUp && !username_is_valid(&creds.username) {
        return Err("A username is 3 to 32 letters, digits, _ or -.".into());
    }
    if mode == Mode::SignUp && !password_is_valid(&creds.password) {
        return Err("A password is 8 to 128 characters.".into());
    }
    if creds.username.is_empty() || creds.password.is_empty() {
        return Err("Enter your username and password.".into());
    }
    Ok(())
}

/// The log-in and sign-up page.
#[component]
pub fn Login() -> Html {
    let session = use_context::<SessionHandle>().expect("session context");
    let username = use_node_ref();
    let password = use_node_ref();
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    if let Session::SignedIn(_) = *session {
        return html! { <Redirect<Route> to={Route::Home} /> };
    }
    let run = {
        let (session, username, password) = (session.clone(), username.clone(), password.clone());
        let (error, busy) = (error.clone(), busy.clone());
        std::rc::Rc::new(move |mode: Mode| {
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let creds = Credentials {
                username: value(&username).trim().to_owned(),
                password: value(&password),
            };
            if let Err(msg) = check(&creds, mode) {
                return error.set(Some(msg));
            }
            let (session, error, busy) = (session.clone(), error.clone(), busy.clone());
            busy.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let result = match mode {
                    Mode::LogIn => api::login(&creds).await,
                    Mode::SignUp => api::signup(&creds).await,
                };
                busy.set(false);
                match result {
                    Ok(user) => session.set(Session::SignedIn(user)),
                    Err(e) => error.set(Some(e.message)),
                }
            });
        })
    };
    let on_login = {
        let run = run.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            run(Mode::LogIn);
        })
    };
    let on_signup = Callback::from(move |_: MouseEvent| run(Mode::SignUp));
    html! {
        <main class="login">
            <h1>{ "Hearth" }</h1>
            <p class="tagline">{ "Chat and call your friends, on your own server." }</p>
            <form onsubmit={on_login} aria-busy={busy.to_string()}>
                <label>{ "Username" }
                    <input ref={username} name="username" autocomplete="username" required=true />
                </label>
                <label>{ "Password" }
                    <input ref={password} name="password" type="password" autocomplete="current-password" required=true />
                </label>
                if let Some(e) = &*error {
                    <p class="error" role="alert">{ e }</p>
                }
                <div class="actions">
                    <button type="submit" disabled={*busy}>{ "Log in" }</button>
                    <button type="button" class="secondary" onclick={on_signup} disabled={*busy}>{ "Sign up" }</button>
                </div>
                if *busy {
                    <p class="muted" role="status">{ "Working…" }</p>
                }
            </form>
        </main>
    }
}
