//! The Origin check: a browser page may only talk to us if it was served by us (or by an
//! origin named with `--allowed-origin`). Stops other sites from riding a user's cookie.
//!
//! "Served by us" means: the `--public-url` when one is set (the address people open, e.g.
//! behind a TLS-terminating proxy), otherwise the authority the request was sent to. That
//! authority is the URI's under HTTP/2 (browsers send `:authority`, not `Host`) and `Host`
//! under HTTP/1.1. `X-Forwarded-*` headers are never read: anyone can send them.

use http::{header, Request, Version};

use crate::state::Settings;

/// The authority (`host[:port]`) a request was addressed to, as the accept loop read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestAuthority(pub String);

/// The authority of `req`: the URI's under HTTP/2 and later, else the `Host` header. Falls
/// back to the other source when the preferred one is missing (an HTTP/2 client may send
/// `Host` instead of `:authority`; an HTTP/1.1 proxy request carries it in the URI).
pub fn authority_of<B>(req: &Request<B>) -> Option<RequestAuthority> {
    let from_uri = req.uri().authority().map(|a| a.as_str().to_owned());
    let from_host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    let found = if req.version() >= Version::HTTP_2 {
        from_uri.or(from_host)
    } else {
        from_host.or(from_uri)
    };
    found.filter(|a| !a.is_empty()).map(RequestAuthority)
}

/// The host (no port) the browser used to reach Hearth: the public URL's, else the
/// request's. Relays that run beside Hearth are announced on it.
pub fn browser_host(authority: Option<&RequestAuthority>, settings: &Settings) -> String {
    let from = settings
        .public_origin
        .as_deref()
        .and_then(|o| o.split_once("://").map(|(_, a)| a))
        .or(authority.map(|a| a.0.as_str()));
    from.and_then(|a| a.parse::<http::uri::Authority>().ok())
        .map_or_else(|| "localhost".to_owned(), |a| a.host().to_owned())
}

/// Whether `origin` is the server's own origin or explicitly allowed. `authority` is where
/// the request was sent; it is ignored when a public URL is configured.
pub fn allowed(origin: &str, authority: Option<&RequestAuthority>, settings: &Settings) -> bool {
    let own = match &settings.public_origin {
        Some(public) => origin.eq_ignore_ascii_case(public),
        None => {
            let scheme = if settings.tls { "https" } else { "http" };
            authority.is_some_and(|a| origin.eq_ignore_ascii_case(&format!("{scheme}://{}", a.0)))
        }
    };
    own || settings
        .allowed_origins
        .iter()
        .any(|o| o.eq_ignore_ascii_case(origin))
}

/// The origin (`scheme://host[:port]`, the form browsers send in `Origin`) of a public URL
/// such as `https://chat.example.com/`. Default ports are dropped, as browsers do.
pub fn origin_of_url(url: &str) -> Result<String, String> {
    let uri: http::Uri = url
        .trim()
        .parse()
        .map_err(|e| format!("{url:?} is not a URL: {e}"))?;
    let scheme = uri
        .scheme_str()
        .map(str::to_ascii_lowercase)
        .filter(|s| s == "http" || s == "https")
        .ok_or_else(|| format!("{url:?} must start with https:// (or http://)"))?;
    let authority = uri
        .authority()
        .ok_or_else(|| format!("{url:?} has no host"))?;
    if authority.as_str().contains('@') {
        return Err(format!("{url:?} must not contain a user name"));
    }
    if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
        return Err(format!(
            "{url:?}: Hearth must be served at the root of its host, without a path"
        ));
    }
    let host = authority.host().to_ascii_lowercase();
    let default_port = if scheme == "https" { 443 } else { 80 };
    Ok(match authority.port_u16() {
        Some(p) if p != default_port => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(a: &str) -> Option<RequestAuthority> {
        Some(RequestAuthority(a.into()))
    }

    fn request(version: Version, uri: &str, host: Option<&str>) -> Request<()> {
        let mut b = Request::builder().version(version).uri(uri);
        if let Some(h) = host {
            b = b.header(header::HOST, h);
        }
        b.body(()).expect("request")
    }

    #[test]
    fn own_origin_and_listed_origins_only() {
        let mut s = Settings::default();
        let here = auth("127.0.0.1:8080");
        assert!(allowed("http://127.0.0.1:8080", here.as_ref(), &s));
        assert!(!allowed("http://evil.example", here.as_ref(), &s));
        assert!(
            !allowed("https://127.0.0.1:8080", here.as_ref(), &s),
            "scheme matters"
        );
        assert!(!allowed("http://127.0.0.1:8080", None, &s));
        s.allowed_origins.push("http://localhost:5173".into());
        assert!(allowed("http://localhost:5173", here.as_ref(), &s));
        s.tls = true;
        assert!(allowed(
            "https://h.lan:8443",
            auth("h.lan:8443").as_ref(),
            &s
        ));
    }

    #[test]
    fn http1_reads_host() {
        let req = request(Version::HTTP_11, "/api/signup", Some("127.0.0.1:8443"));
        assert_eq!(authority_of(&req), auth("127.0.0.1:8443"));
    }

    #[test]
    fn http2_reads_the_uri_authority_without_a_host_header() {
        // What hyper makes of a browser's h2 request: `:authority` in the URI, no Host.
        let req = request(Version::HTTP_2, "https://127.0.0.1:8443/api/signup", None);
        assert_eq!(authority_of(&req), auth("127.0.0.1:8443"));
        let s = Settings {
            tls: true,
            ..Settings::default()
        };
        assert!(allowed(
            "https://127.0.0.1:8443",
            authority_of(&req).as_ref(),
            &s
        ));
    }

    #[test]
    fn http2_prefers_authority_and_http1_prefers_host() {
        let h2 = request(Version::HTTP_2, "https://a.lan/x", Some("b.lan"));
        assert_eq!(authority_of(&h2), auth("a.lan"));
        let h1 = request(Version::HTTP_11, "http://a.lan/x", Some("b.lan"));
        assert_eq!(authority_of(&h1), auth("b.lan"));
        let h2_host_only = request(Version::HTTP_2, "/x", Some("b.lan"));
        assert_eq!(authority_of(&h2_host_only), auth("b.lan"));
        assert_eq!(authority_of(&request(Version::HTTP_11, "/x", None)), None);
    }

    #[test]
    fn a_public_url_is_the_origin_whatever_host_the_proxy_sends() {
        let s = Settings {
            public_origin: Some(origin_of_url("https://chat.example.com/").expect("url")),
            ..Settings::default()
        };
        // nginx's default `proxy_pass http://127.0.0.1:8080` sends that as Host.
        let proxy_host = auth("127.0.0.1:8080");
        assert!(allowed("https://chat.example.com", proxy_host.as_ref(), &s));
        assert!(allowed("https://chat.example.com", None, &s));
        assert!(!allowed("http://127.0.0.1:8080", proxy_host.as_ref(), &s));
        assert!(!allowed("http://chat.example.com", proxy_host.as_ref(), &s));
        // A request whose Host is evil (DNS rebinding, a forged X-Forwarded-Host) is not
        // evil's own origin once a public URL is set.
        assert!(!allowed(
            "https://evil.example",
            auth("evil.example").as_ref(),
            &s
        ));
    }

    #[test]
    fn x_forwarded_headers_are_not_read() {
        let req = Request::builder()
            .uri("/ws")
            .header(header::HOST, "127.0.0.1:8080")
            .header("x-forwarded-host", "evil.example")
            .header("x-forwarded-proto", "https")
            .body(())
            .expect("request");
        assert_eq!(authority_of(&req), auth("127.0.0.1:8080"));
        let s = Settings::default();
        assert!(!allowed(
            "https://evil.example",
            authority_of(&req).as_ref(),
            &s
        ));
    }

    #[test]
    fn the_browser_host_is_the_public_one_when_set() {
        let mut s = Settings::default();
        assert_eq!(
            browser_host(auth("192.168.1.5:8443").as_ref(), &s),
            "192.168.1.5"
        );
        assert_eq!(browser_host(auth("[::1]:8443").as_ref(), &s), "[::1]");
        assert_eq!(browser_host(None, &s), "localhost");
        s.public_origin = Some("https://chat.example.com".into());
        assert_eq!(
            browser_host(auth("127.0.0.1:8080").as_ref(), &s),
            "chat.example.com"
        );
    }

    #[test]
    fn public_urls_normalise_to_browser_origins() {
        let o = |u: &str| origin_of_url(u);
        assert_eq!(
            o("https://Chat.Example.com").as_deref(),
            Ok("https://chat.example.com")
        );
        assert_eq!(
            o("https://chat.example.com:443/").as_deref(),
            Ok("https://chat.example.com")
        );
        assert_eq!(o("https://h.lan:8443").as_deref(), Ok("https://h.lan:8443"));
        assert_eq!(o("http://h.lan:80").as_deref(), Ok("http://h.lan"));
        assert_eq!(
            o("HTTPS://[::1]:9443/").as_deref(),
            Ok("https://[::1]:9443")
        );
        assert!(o("chat.example.com").is_err(), "no scheme");
        assert!(o("ftp://chat.example.com").is_err());
        assert!(o("https://chat.example.com/hearth").is_err(), "path prefix");
        assert!(o("https://u:p@chat.example.com").is_err());
    }
}
