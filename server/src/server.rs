//! The accept loop: plain HTTP or TLS per connection, hyper serving warp's routes with
//! upgrades (for the WebSocket), and a graceful stop.

use std::future::Future;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
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
    let service = warp::service(routes(state.clone()));
    let graceful = GracefulShutdown::new();
    let ticker = tokio::spawn(ring_clock(state.clone()));
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, addr)) => {
                    let _ = tcp.set_nodelay(true);
                    let service = service.clone();
                    let tls = tls.clone();
                    let watcher = graceful.watcher();
                    tokio::spawn(async move {
                        let service = hyper::service::service_fn(move |mut req: http::Request<hyper::body::Incoming>| {
                            if req.uri().path() == "/ws" {
                                let on = hyper::upgrade::on(&mut req);
                                req.extensions_mut().insert(UpgradeSlot::new(on));
                            }
                            if let Some(to) = authority_of(&req) {
                                req.extensions_mut().insert(to);
                            }
                            req.extensions_mut().insert(PeerAddr(addr));
                            service.clone().call(req)
                        });
                        serve_one(tcp, tls, service, watcher).await;
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

/// Feeds the time to the call table twice a second, so unanswered calls end as missed.
async fn ring_clock(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_millis(500));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        every.tick().await;
        let outs = state.hub.calls(|c| c.tick(std::time::Instant::now()));
        if !outs.is_empty() {
            crate::ws::call::apply(&state, outs).await;
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

async fn serve_one<S>(tcp: TcpStream, tls: Option<TlsAcceptor>, service: S, watcher: Watcher)
where
    S: HttpService,
{
    match tls {
        None => serve_io(tcp, service, watcher).await,
        Some(acceptor) => {
            match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
                Ok(Ok(stream)) => serve_io(stream, service, watcher).await,
                Ok(Err(e)) => tracing::debug!("TLS handshake failed: {e}"),
                Err(_) => tracing::debug!("TLS handshake timed out"),
            }
        }
    }
}

/// Serves HTTP/1.1 or HTTP/2 (with upgrades, for the WebSocket) on one connection.
async fn serve_io<I, S>(io: I, service: S, watcher: Watcher)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    S: HttpService,
{
    let builder = auto::Builder::new(TokioExecutor::new());
    let conn = builder
        .serve_connection_with_upgrades(TokioIo::new(io), service)
        .into_owned();
    if let Err(e) = watcher.watch(conn).await {
        tracing::debug!("connection ended with an error: {e}");
    }
}
