//! Small bridges to JavaScript: serde values to and from JS objects through JSON (so the
//! browser's own RTC JSON passes through untouched), and calling a method by name.

use js_sys::{Function, Promise, Reflect, JSON};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A serde value as a plain JS object.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, String> {
    // serde_json's own error text is left out: formatting it would carry every message of
    // its parser (and of std::io's errors) in the bundle, for errors no user sees.
    let json = serde_json::to_string(value).map_err(|_| "no JSON form".to_owned())?;
    JSON::parse(&json).map_err(describe)
}

/// A JS object (anything with a JSON form, like RTCSessionDescription) as a serde value.
pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    let json = json(value)?;
    serde_json::from_str(&json).map_err(|_| format!("unexpected JSON: {json}"))
}

/// A JS object's JSON text (for a type with a reader of its own, like `IceCandidate`).
pub fn json(value: &JsValue) -> Result<String, String> {
    Ok(JSON::stringify(value).map_err(describe)?.into())
}

/// Calls `target.name()` and returns what it gives.
pub fn call0(target: &JsValue, name: &str) -> Result<JsValue, String> {
    let f: Function = Reflect::get(target, &name.into())
        .map_err(describe)?
        .dyn_into()
        .map_err(describe)?;
    f.call0(target).map_err(describe)
}

/// Calls `target.name(arg)` and returns what it gives.
pub fn call1(target: &JsValue, name: &str, arg: &JsValue) -> Result<JsValue, String> {
    let f: Function = Reflect::get(target, &name.into())
        .map_err(describe)?
        .dyn_into()
        .map_err(describe)?;
    f.call1(target, arg).map_err(describe)
}

/// Resolves after `ms` milliseconds (a page timer).
pub async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wait(p).await;
}

/// Calls `target.name()` now and returns the promise it gives.
pub fn start0(target: &JsValue, name: &str) -> Result<Promise, String> {
    call0(target, name)?.dyn_into().map_err(describe)
}

/// Calls `target.name(arg)` now and returns the promise it gives.
pub fn start1(target: &JsValue, name: &str, arg: &JsValue) -> Result<Promise, String> {
    call1(target, name, arg)?.dyn_into().map_err(describe)
}

/// Awaits a promise, with errors as text.
pub async fn wait(promise: Promise) -> Result<JsValue, String> {
    JsFuture::from(promise).await.map_err(describe)
}

/// Awaits a promise started earlier (`start0`, `start1`), or passes on why it did not start.
pub async fn settle(started: Result<Promise, String>) -> Result<JsValue, String> {
    wait(started?).await
}

/// A new element of the page's document, not attached to it.
pub fn element<T: JsCast>(tag: &str) -> Result<T, String> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?
        .create_element(tag)
        .map_err(describe)?
        .dyn_into::<T>()
        .map_err(|_| format!("not a {tag}"))
}

/// A JS error as text (its `name: message` when it has them).
pub fn describe(e: JsValue) -> String {
    match (text(&e, "name"), text(&e, "message")) {
        (Some(n), Some(m)) => format!("{n}: {m}"),
        _ => format!("{e:?}"),
    }
}

/// A property of `target` that is a string.
pub fn text(target: &JsValue, name: &str) -> Option<String> {
    Reflect::get(target, &name.into()).ok()?.as_string()
}

/// The `name` of a DOMException (`NotAllowedError`, `NotFoundError`, ...).
pub fn error_name(e: &JsValue) -> String {
    text(e, "name").unwrap_or_default()
}
