//! Every page carries a Content-Security-Policy that allows its own inline script by hash
//! (and nothing inline besides), forbids framing, and the referrer and permissions policies.

use hearth_server::assets::Assets;
use hearth_server::store::Store;
use hearth_server::{run, AppState, Settings};

const INDEX: &str =
    "<!doctype html><script type=module>import init from '/app-0123456789abcdef.js';\
                     await init();</script><body></body>";

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut assets = Assets::default();
    assets.insert("index.html", INDEX.as_bytes());
    assets.insert(
        "app-0123456789abcdef.js",
        b"export default function init() {}",
    );
    let store = Store::open(&dir.path().join("hearth.db")).expect("store");
    let state = AppState::new(store, Settings::default(), assets);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(run(listener, state, None, std::future::pending()));

    // python3: base64(sha256(b"import init from '/app-0123456789abcdef.js';await init();"))
    let script_hash = "'sha256-Si7I3jyMgnbIU3qtCUsbIEWh/AEMagQfKld237b4Gfc='";
    for path in ["/", "/login", "/index.html"] {
        let res = reqwest::get(format!("http://{addr}{path}"))
            .await
            .expect("page");
        let h = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let csp = h("content-security-policy");
        assert!(
            csp.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' {script_hash};"
            )),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(h("referrer-policy"), "no-referrer");
        assert!(h("permissions-policy").contains("camera=(self)"));
        assert_eq!(h("x-frame-options"), "DENY");
    }
    let script = reqwest::get(format!("http://{addr}/app-0123456789abcdef.js"))
        .await
        .expect("script");
    assert_eq!(
        script.headers()["x-content-type-options"],
        "nosniff",
        "scripts are not pages, but are never sniffed"
    );
}
