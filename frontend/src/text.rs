//! Text helpers that ask the browser, which has Unicode's tables already, instead of
//! carrying Rust's copies of them in the bundle.

use js_sys::JsString;

/// A name's first letter, upper-cased as the browser does it ("é" -> "É"); "?" if empty.
pub fn initial(name: &str) -> String {
    match name.chars().next() {
        Some(c) => JsString::from(c.to_string().as_str())
            .to_upper_case()
            .into(),
        None => "?".to_owned(),
    }
}
