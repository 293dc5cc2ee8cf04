//! Client-side routes. The server answers every non-API path with `index.html`.

use yew_router::prelude::*;

/// The pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Routable)]
pub enum Route {
    /// Friends and conversations (signed in).
    #[at("/")]
    Home,
    /// Log in or sign up.
    #[at("/login")]
    Login,
    /// Anything else goes home.
    #[not_found]
    #[at("/404")]
    NotFound,
}
