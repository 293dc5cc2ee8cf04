//! The HTTP API: sign up, log in, log out, who am I, the stream key. The session cookie is HttpOnly, so
//! this code never sees it; the browser sends it.

use hearth_shared::api::{ApiError, Credentials, Me};
use hearth_shared::session::UserPublic;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

/// A failed API call, in words a person can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    /// The server's stable code (or `network`).
    pub code: String,
    /// What to show.
    pub message: String,
}

fn network(e: JsValue) -> ApiFailure {
    let why = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "no answer".into());
    ApiFailure {
        code: "network".into(),
        message: format!("Cannot reach the server ({why}). Check your connection."),
    }
}

/// What the server answered: the status and the body.
struct Answer {
    status: u16,
    body: String,
}

impl Answer {
    /// The body as `T`, or a failure naming what went wrong.
    fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, ApiFailure> {
        serde_json::from_str(&self.body).map_err(|_| self.failure())
    }

    /// The server's error, in its own words when it gave them.
    fn failure(&self) -> ApiFailure {
        match serde_json::from_str::<ApiError>(&self.body) {
            Ok(e) => ApiFailure {
                code: e.code,
                message: e.message,
            },
            Err(_) => ApiFailure {
                code: "http".into(),
                message: format!("The server answered {}.", self.status),
            },
        }
    }
}

/// `fetch` on this origin (the browser sends the session cookie), with a JSON body if any.
async fn fetch(method: &str, path: &str, json: Option<String>) -> Result<Answer, ApiFailure> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = json {
        let headers = Object::new();
        let _ = Reflect::set(&headers, &"content-type".into(), &"application/json".into());
        init.set_headers(&headers);
        init.set_body(&body.into());
    }
    let window = web_sys::window().ok_or_else(|| network(JsValue::NULL))?;
    let res: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(network)?
        .unchecked_into();
    let text = res.text().map_err(network)?;
    let body = JsFuture::from(text).await.map_err(network)?;
    Ok(Answer {
        status: res.status(),
        body: body.as_string().unwrap_or_default(),
    })
}

async fn credentials(path: &str, creds: &Credentials) -> Result<UserPublic, ApiFailure> {
    let json = serde_json::to_string(creds).unwrap_or_default();
    let answer = fetch("POST", path, Some(json)).await?;
    match answer.status {
        200..=299 => answer.json::<Me>().map(|m| m.user),
        _ => Err(answer.failure()),
    }
}

/// Creates an account and signs in.
pub async fn signup(creds: &Credentials) -> Result<UserPublic, ApiFailure> {
    credentials("/api/signup", creds).await
}

/// Signs in.
pub async fn login(creds: &Credentials) -> Result<UserPublic, ApiFailure> {
    credentials("/api/login", creds).await
}

/// Ends the session (and the server closes its sockets).
pub async fn logout() -> Result<(), ApiFailure> {
    let answer = fetch("POST", "/api/logout", None).await?;
    match answer.status {
        200..=299 => Ok(()),
        _ => Err(answer.failure()),
    }
}

/// The signed-in user, or `None` when there is no valid session.
pub async fn me() -> Result<Option<UserPublic>, ApiFailure> {
    let answer = fetch("GET", "/api/me", None).await?;
    match answer.status {
        200 => answer.json::<Me>().map(|m| Some(m.user)),
        401 => Ok(None),
        _ => Err(answer.failure()),
    }
}

/// A new stream key (`POST`, in place of the old one) or none (`DELETE`: revoked), for
/// publishing a broadcast from OBS (`hearth_shared::api::StreamKey`).
pub async fn stream_key(method: &str) -> Result<Option<String>, ApiFailure> {
    let answer = fetch(method, "/api/stream-key", None).await?;
    match answer.status {
        // Read with the browser's JSON: a serde decoder of its own would cost the bundle more.
        200..=299 => Ok(js_sys::JSON::parse(&answer.body)
            .and_then(|v| Reflect::get(&v, &"key".into()))
            .ok()
            .and_then(|k| k.as_string())),
        _ => Err(answer.failure()),
    }
}
