//! HTTPS and wss with the self-signed certificate the server generates: a client that trusts
//! exactly that certificate gets a Secure session cookie and a working WebSocket.

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use hearth_server::assets::Assets;
use hearth_server::store::Store;
use hearth_server::{run, tls, AppState, Settings};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

async fn connect(port: u16, cert_pem: &std::path::Path) -> TlsStream<TcpStream> {
    connect_alpn(port, cert_pem, &[]).await
}

/// A server on HTTPS with the certificate it generates; its data folder and port.
async fn tls_server() -> (tempfile::TempDir, u16) {
    tls_server_with(Settings::default()).await
}

async fn tls_server_with(settings: Settings) -> (tempfile::TempDir, u16) {
    let dir = tempfile::tempdir().expect("tempdir");
    let tls = tls::load(None, None, dir.path(), vec!["localhost".into()]).expect("certificate");
    let store = Store::open(&dir.path().join("hearth.db")).expect("store");
    let settings = Settings {
        tls: true,
        ..settings
    };
    let state = AppState::new(store, settings, Assets::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(run(
        listener,
        state,
        Some(tls.acceptor),
        std::future::pending(),
    ));
    (dir, port)
}

async fn http(port: u16, cert: &std::path::Path, request: String) -> String {
    let mut s = connect(port, cert).await;
    s.write_all(request.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn https_and_wss_work_with_the_generated_certificate() {
    let (dir, port) = tls_server().await;
    let cert = dir.path().join("tls-cert.pem");
    let host = format!("localhost:{port}");

    let body = r#"{"username":"alice","password":"password123"}"#;
    let signup = http(port, &cert, format!(
        "POST /api/signup HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )).await;
    assert!(signup.starts_with("HTTP/1.1 201"), "{signup}");
    let set_cookie = signup
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .expect("cookie");
    assert!(
        set_cookie.contains("; Secure"),
        "cookies are Secure under TLS: {set_cookie}"
    );
    let cookie = set_cookie
        .split(':')
        .nth(1)
        .and_then(|v| v.split(';').next())
        .expect("pair")
        .trim()
        .to_owned();

    let me = http(
        port,
        &cert,
        format!("GET /api/me HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert!(me.starts_with("HTTP/1.1 401"), "{me}");

    let mut req = format!("wss://{host}/ws")
        .into_client_request()
        .expect("request");
    req.headers_mut()
        .insert("origin", format!("https://{host}").parse().expect("origin"));
    req.headers_mut()
        .insert("cookie", cookie.parse().expect("cookie"));
    let (mut ws, _) = tokio_tungstenite::client_async(req, connect(port, &cert).await)
        .await
        .expect("wss upgrade");
    ws.send(Message::text(
        r#"{"domain":"session","type":"hello","protocol":1}"#,
    ))
    .await
    .expect("hello");
    let first = ws.next().await.expect("frame").expect("ok");
    assert!(
        first
            .to_text()
            .expect("text")
            .contains(r#""type":"welcome""#),
        "{first}"
    );

    let mut plain = format!("ws://{host}/ws")
        .into_client_request()
        .expect("request");
    plain
        .headers_mut()
        .insert("origin", format!("http://{host}").parse().expect("origin"));
    plain
        .headers_mut()
        .insert("cookie", cookie.parse().expect("cookie"));
    let refused = tokio_tungstenite::client_async(plain, connect(port, &cert).await).await;
    assert!(
        refused.is_err(),
        "an http:// origin is not this https server's origin"
    );
}

/// What every browser does over HTTPS: HTTP/2, with the host in `:authority` and no `Host`
/// header. Sign-up from the server's own page must be accepted, and a foreign page refused.
#[tokio::test]
async fn http2_signup_from_the_own_origin_is_accepted() {
    use http_body_util::{BodyExt, Full};
    use hyper_util::rt::{TokioExecutor, TokioIo};

    let (dir, port) = tls_server().await;
    let cert = dir.path().join("tls-cert.pem");

    let post = |origin: &'static str| {
        let cert = cert.clone();
        async move {
            let stream = connect_alpn(port, &cert, b"h2").await;
            assert_eq!(
                stream.get_ref().1.alpn_protocol(),
                Some(&b"h2"[..]),
                "the server speaks HTTP/2 to a browser"
            );
            let (mut sender, conn) =
                hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
                    .await
                    .expect("h2 handshake");
            tokio::spawn(conn);
            let body = r#"{"username":"alice","password":"password123"}"#;
            let req = http::Request::post(format!("https://localhost:{port}/api/signup"))
                .header("origin", origin.replace("PORT", &port.to_string()))
                .header("content-type", "application/json")
                .body(Full::new(bytes::Bytes::from_static(body.as_bytes())))
                .expect("request");
            assert!(req.headers().get("host").is_none());
            let res = sender.send_request(req).await.expect("response");
            let status = res.status();
            let text = res.into_body().collect().await.expect("body").to_bytes();
            (status, String::from_utf8_lossy(&text).into_owned())
        }
    };
    let (status, body) = post("https://evil.example").await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("bad_origin"), "{body}");
    let (status, body) = post("https://localhost:PORT").await;
    assert_eq!(status, 201, "sign-up over HTTP/2: {body}");
}

/// A TLS connection that trusts exactly `cert_pem` and offers the `alpn` protocols.
async fn connect_alpn(port: u16, cert_pem: &std::path::Path, alpn: &[u8]) -> TlsStream<TcpStream> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(cert_pem).expect("pem") {
        roots.add(cert.expect("cert")).expect("trusted");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    if !alpn.is_empty() {
        config.alpn_protocols = vec![alpn.to_vec()];
    }
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.expect("tcp");
    let name = ServerName::try_from("localhost").expect("name");
    TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .expect("TLS handshake")
}

#[tokio::test]
async fn a_partial_request_after_the_tls_handshake_is_cut_off() {
    let (dir, port) = tls_server_with(Settings {
        request_timeout: std::time::Duration::from_secs(1),
        ..Settings::default()
    })
    .await;
    let cert = dir.path().join("tls-cert.pem");
    let mut h1 = connect(port, &cert).await;
    h1.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .expect("write");
    let mut h2 = connect_alpn(port, &cert, b"h2").await;
    h2.write_all(b"PRI * HTTP/2.0\r\n")
        .await
        .expect("half a preface");
    for (what, s) in [("HTTP/1.1", &mut h1), ("HTTP/2", &mut h2)] {
        let mut sink = Vec::new();
        let read =
            tokio::time::timeout(std::time::Duration::from_secs(4), s.read_to_end(&mut sink));
        assert!(
            read.await.is_ok(),
            "the {what} connection was still open after 4 s"
        );
    }
}
