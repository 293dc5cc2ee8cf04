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
}

impl Reject for ApiReject {}

/// Builds an `ApiReject` rejection.
pub fn reject(status: StatusCode, code: &'static str, message: impl Into<String>) -> Rejection {
    warp::reject::custom(ApiReject {
        status,
        code,
        message: message.into(),
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
    Ok(warp::reply::with_status(body, status))
}
