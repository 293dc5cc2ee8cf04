//! API errors as rejections, and the one `recover` that turns every rejection into JSON.

use std::convert::Infallible;

use warp::http::StatusCode;
use warp::reject::Reject;
use warp::{Rejection, Reply};

use hearth_shared::api::ApiError;

/// A refused API request.
#[derive(Debug)]
pub struct ApiReject {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code.
    pub code: &'static str,
    /// Words for people.
    pub message: String,
    /// When to try again (sent as `Retry-After`), for `rate_limited`.
    pub retry_after: Option<std::time::Duration>,
}

impl Reject for ApiReject {}

/// Builds an `ApiReject` rejection.
pub fn reject(status: StatusCode, code: &'static str, message: impl Into<String>) -> Rejection {
    warp::reject::custom(ApiReject {
        status,
        code,
        message: message.into(),
        retry_after: None,
    })
}

/// A 429 `rate_limited` rejection that says when to try again.
pub fn rate_limited(what: &str, wait: std::time::Duration) -> Rejection {
    let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
    let unit = if secs == 1 { "second" } else { "seconds" };
    warp::reject::custom(ApiReject {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: "rate_limited",
        message: format!("{what}; try again in {secs} {unit}"),
        retry_after: Some(std::time::Duration::from_secs(secs)),
    })
}

/// The rejection for a failure inside the server.
pub fn internal(e: impl std::fmt::Display) -> Rejection {
    tracing::error!("internal error: {e}");
    reject(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "something went wrong on the server",
    )
}

/// Turns any rejection into a JSON `ApiError` with a fitting status.
pub async fn recover(err: Rejection) -> Result<impl Reply, Infallible> {
    let retry_after = err.find::<ApiReject>().and_then(|e| e.retry_after);
    let (status, code, message) = if let Some(e) = err.find::<ApiReject>() {
        (e.status, e.code, e.message.clone())
    } else if err.is_not_found() {
        (
            StatusCode::NOT_FOUND,
            "not_found",
            "no such page".to_owned(),
        )
    } else if err.find::<warp::reject::MethodNotAllowed>().is_some() {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "method not allowed".to_owned(),
        )
    } else if err
        .find::<warp::filters::body::BodyDeserializeError>()
        .is_some()
    {
        (
            StatusCode::BAD_REQUEST,
            "bad_request",
            "the request body is not the expected JSON".to_owned(),
        )
    } else if err.find::<warp::reject::PayloadTooLarge>().is_some() {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "the request body is too large".to_owned(),
        )
    } else {
        (
            StatusCode::BAD_REQUEST,
            "bad_request",
            "the request could not be understood".to_owned(),
        )
    };
    let body = warp::reply::json(&ApiError {
        code: code.to_owned(),
        message,
    });
    let mut reply = warp::reply::with_status(body, status).into_response();
    if let Some(wait) = retry_after {
        reply
            .headers_mut()
            .insert(warp::http::header::RETRY_AFTER, wait.as_secs().into());
    }
    Ok(reply)
}
