//! The Origin check: a browser page may only talk to us if it was served by us (or by an
//! origin named with `--allowed-origin`). Stops other sites from riding a user's cookie.

use crate::state::Settings;

/// Whether `origin` is the server's own origin (derived from `Host`) or explicitly allowed.
pub fn allowed(origin: &str, host: Option<&str>, settings: &Settings) -> bool {
    let scheme = if settings.tls { "https" } else { "http" };
    let own = host.is_some_and(|h| origin.eq_ignore_ascii_case(&format!("{scheme}://{h}")));
    own || settings
        .allowed_origins
        .iter()
        .any(|o| o.eq_ignore_ascii_case(origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_origin_and_listed_origins_only() {
        let mut s = Settings::default();
        assert!(allowed("http://127.0.0.1:8080", Some("127.0.0.1:8080"), &s));
        assert!(!allowed("http://evil.example", Some("127.0.0.1:8080"), &s));
        assert!(
            !allowed("https://127.0.0.1:8080", Some("127.0.0.1:8080"), &s),
            "scheme matters"
        );
        assert!(!allowed("http://127.0.0.1:8080", None, &s));
        s.allowed_origins.push("http://localhost:5173".into());
        assert!(allowed("http://localhost:5173", Some("127.0.0.1:8080"), &s));
        s.tls = true;
        assert!(allowed("https://h.lan:8443", Some("h.lan:8443"), &s));
    }
}
