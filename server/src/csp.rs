//! The security headers of Hearth's pages: a Content-Security-Policy that allows exactly what
//! the app needs, and nothing else, plus framing, referrer and permissions policies.
//!
//! What the app needs: its own scripts, the inline module script trunk writes into
//! `index.html` (allowed by its hash, computed from the built file), WebAssembly
//! (`'wasm-unsafe-eval'`), its WebSocket and API (`'self'`, which covers `ws:`/`wss:` to the
//! same host), `blob:` media (recordings) and images (`data:` screenshots), and the
//! recording's tiny ticker worker (a `data:` script).

use base64::Engine;
use sha2::{Digest, Sha256};

/// The `'sha256-…'` source of every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            let digest = Sha256::digest(&body_and_more.as_bytes()[..close]);
            let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
            out.push(format!("'sha256-{b64}'"));
        }
        rest = &body_and_more[close..];
    }
    out
}

/// The Content-Security-Policy for a page whose inline scripts hash to `hashes`.
pub fn policy(hashes: &[String]) -> String {
    let scripts = std::iter::once("'self' 'wasm-unsafe-eval'".to_owned())
        .chain(hashes.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' blob: data:; \
         media-src 'self' blob:; connect-src 'self'; worker-src 'self' data:; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The other headers every page gets: (name, value).
pub const PAGE_HEADERS: &[(&str, &str)] = &[
    ("referrer-policy", "no-referrer"),
    (
        "permissions-policy",
        "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=()",
    ),
    ("x-frame-options", "DENY"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = "<head><script type=module>import init from '/a.js';</script>\
                    <script src=/b.js></script></head>";
        // python3: base64(sha256(b"import init from '/a.js';"))
        let expected = "'sha256-aOee+rvEUMphqlepW7nBjXpcT6aM6jxNXbtEv0XP738='".to_owned();
        assert_eq!(inline_script_hashes(html), vec![expected]);
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
    }

    #[test]
    fn the_policy_allows_the_app_and_forbids_framing() {
        let p = policy(&["'sha256-abc'".into()]);
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(p.contains("connect-src 'self'"));
        assert!(!p.contains("unsafe-inline"));
    }
}
