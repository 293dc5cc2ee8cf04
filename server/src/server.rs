//! The accept loop: plain HTTP or TLS per connection, hyper serving warp's routes with
//! upgrades (for the WebSocket), and a graceful stop. Each connection needs a place under the
//! caps (`gate`) and must send a request within `request_timeout`; hyper then holds every
//! later request's headers to the same timeout.

mod gate;

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tower_service::Service;

use crate::routes::origin::authority_of;
use crate::routes::{routes, PeerAddr, UpgradeSlot};
use crate::state::AppState;

/// Serves until `shutdown` completes, then closes WebSockets (code 1001) and waits up to
/// five seconds for requests in flight.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) {
    let state = start_sfu(state).await;
    let service = warp::service(routes(state.clone()));
    let graceful = GracefulShutdown::new();
    let ticker = tokio::spawn(ring_clock(state.clone()));
    let settings = state.settings.clone();
    let gate = gate::Gate::new(settings.max_connections, settings.max_connections_per_ip);
    let mut warned: Option<Instant> = None;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, addr)) => {
                    let pass = match gate.admit(addr.ip()) {
                        Ok(pass) => pass,
                        Err(full) => {
                            refused(full, addr, &mut warned);
                            continue;
                        }
                    };
                    let _ = tcp.set_nodelay(true);
                    let service = service.clone();
                    let tls = tls.clone();
                    let watcher = graceful.watcher();
                    let timeout = settings.request_timeout;
                    tokio::spawn(async move {
                        let pass: crate::routes::Held = Arc::new(pass);
                        let asked = Arc::new(AtomicBool::new(false));
                        let seen = asked.clone();
                        let service = hyper::service::service_fn(move |mut req: http::Request<hyper::body::Incoming>| {
                            seen.store(true, Ordering::Relaxed);
                            if req.uri().path() == "/ws" {
                                let on = hyper::upgrade::on(&mut req);
                                req.extensions_mut().insert(UpgradeSlot::new(on, pass.clone()));
                            }
                            if let Some(to) = authority_of(&req) {
                                req.extensions_mut().insert(to);
                            }
                            req.extensions_mut().insert(PeerAddr(addr));
                            service.clone().call(req)
                        });
                        tokio::select! {
                            _ = serve_one(tcp, tls, service, watcher, timeout) => {}
                            _ = first_request_missed(&asked, timeout) => {
                                tracing::debug!(%addr, "no request within {timeout:?}; closed");
                            }
                        }
                    });
                }
                Err(e) => {
                    // Out of file descriptors, usually: back off instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    ticker.abort();
    state.shutdown.send_replace(true);
    if tokio::time::timeout(Duration::from_secs(5), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections did not finish within 5 s");
    }
}

/// Logs a refused connection, at most once every 10 s.
fn refused(full: gate::Full, addr: std::net::SocketAddr, warned: &mut Option<Instant>) {
    if warned.is_some_and(|t| t.elapsed() < Duration::from_secs(10)) {
        return;
    }
    *warned = Some(Instant::now());
    match full {
        gate::Full::Total => tracing::warn!("connection limit reached; refusing new connections"),
        gate::Full::PerIp => {
            tracing::warn!(ip = %addr.ip(), "connection limit for one address reached; refusing it more");
        }
    }
}

/// Completes if no request has begun within `timeout` of the connection opening (silence,
/// a partial first request, a stalled TLS or HTTP/2 preface); otherwise never.
async fn first_request_missed(asked: &AtomicBool, timeout: Duration) {
    tokio::time::sleep(timeout).await;
    if asked.load(Ordering::Relaxed) {
        std::future::pending::<()>().await;
    }
}

/// Starts the media relay when the settings give it a port, and the task that carries its
/// offers to the participants. A port in use is not fatal: room calls stay browser to browser.
async fn start_sfu(mut state: AppState) -> AppState {
    let Some((bind, announced)) = state.settings.media else {
        return state;
    };
    match crate::sfu::Sfu::start(bind, Some(announced)).await {
        Ok((sfu, events)) => {
            tracing::info!("media relay (SFU) on udp {}", sfu.media_addr());
            state.sfu = Some(sfu);
            tokio::spawn(crate::ws::sfu_events(state.clone(), events));
        }
        Err(e) => tracing::warn!("no media relay (SFU) on udp {bind}: {e}"),
    }
    state
}

/// Feeds the time to the call table twice a second, so unanswered calls end as missed.
async fn ring_clock(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_millis(500));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        every.tick().await;
        let outs = state.hub.calls(|c| c.tick(std::time::Instant::now()));
        if !outs.is_empty() {
            crate::ws::call_outs::apply(&state, outs).await;
        }
    }
}

/// What hyper needs of the service that answers each request (warp's routes, wrapped).
trait HttpService:
    hyper::service::Service<
        http::Request<hyper::body::Incoming>,
        Response = warp::reply::Response,
        Future: Send + 'static,
        Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    > + Send
    + 'static
{
}

impl<T> HttpService for T where
    T: hyper::service::Service<
            http::Request<hyper::body::Incoming>,
            Response = warp::reply::Response,
            Future: Send + 'static,
            Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        > + Send
        + 'static
{
}

async fn serve_one<S>(
    tcp: TcpStream,
    tls: Option<TlsAcceptor>,
    service: S,
    watcher: Watcher,
    timeout: Duration,
) where
    S: HttpService,
{
    match tls {
        None => serve_io(tcp, service, watcher, timeout).await,
        Some(acceptor) => match tokio::time::timeout(timeout, acceptor.accept(tcp)).await {
            Ok(Ok(stream)) => serve_io(stream, service, watcher, timeout).await,
            Ok(Err(e)) => tracing::debug!("TLS handshake failed: {e}"),
            Err(_) => tracing::debug!("TLS handshake timed out"),
        },
    }
}

/// Serves HTTP/1.1 or HTTP/2 (with upgrades, for the WebSocket) on one connection. HTTP/1.1
/// headers must arrive within `timeout` (and an idle keep-alive connection closes after it);
/// HTTP/2 pings a quiet peer and drops it if the ping goes unanswered.
async fn serve_io<I, S>(io: I, service: S, watcher: Watcher, timeout: Duration)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    S: HttpService,
{
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(20)))
        .keep_alive_timeout(Duration::from_secs(10));
    let conn = builder
        .serve_connection_with_upgrades(TokioIo::new(io), service)
        .into_owned();
    if let Err(e) = watcher.watch(conn).await {
        tracing::debug!("connection ended with an error: {e}");
    }
}
