//! A socket's writer task: the welcome first, then the queue drained in batches with one
//! flush each, then the close frame; every write bounded by a timeout.

use futures_util::SinkExt;
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

use super::super::Socket;
use crate::hub::Frame;

/// How long a closing connection's writer gets to send what is queued and the close frame
/// before the socket is dropped regardless.
pub(super) const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// The writer: sends the first frame (the welcome) once it is given, then drains the queue
/// into the socket. Frames queued before the close go out first; then the close frame with
/// its code, then the socket closes. A write that takes
/// longer than `write_timeout` (the client stopped reading) ends it at once.
pub(super) async fn writer(
    mut sink: futures_util::stream::SplitSink<Socket, Message>,
    mut rx: mpsc::Receiver<Frame>,
    mut head: Option<tokio::sync::oneshot::Receiver<Frame>>,
    mut close: tokio::sync::oneshot::Receiver<(u16, &'static str)>,
    write_timeout: std::time::Duration,
) {
    loop {
        tokio::select! {
            biased;
            first = async { head.as_mut().expect("guarded").await }, if head.is_some() => {
                head = None;
                if let Ok(f) = first {
                    if !matches!(timeout(write_timeout, sink.send(Message::Text(f))).await, Ok(Ok(()))) {
                        return;
                    }
                }
            }
            Some(f) = rx.recv(), if head.is_none() => {
                match timeout(write_timeout, write_queued(&mut sink, f, &mut rx)).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => return,
                    Err(_) => {
                        tracing::debug!("a write took over {write_timeout:?}; dropping the socket");
                        return;
                    }
                }
            }
            Ok((code, why)) = &mut close => {
                let frame = CloseFrame { code: CloseCode::from(code), reason: why.into() };
                let _ = timeout(write_timeout, sink.send(Message::Close(Some(frame)))).await;
                break;
            }
            else => break,
        }
    }
    let _ = timeout(write_timeout, sink.close()).await;
}

/// Frames written before one flush: under load, many frames share one system call.
const FRAMES_PER_FLUSH: usize = 64;

/// Writes `first` and whatever else is already queued (up to `FRAMES_PER_FLUSH`), then
/// flushes once.
async fn write_queued(
    sink: &mut futures_util::stream::SplitSink<Socket, Message>,
    first: Frame,
    rx: &mut mpsc::Receiver<Frame>,
) -> Result<(), tokio_tungstenite::tungstenite::Error> {
    sink.feed(Message::Text(first)).await?;
    for _ in 1..FRAMES_PER_FLUSH {
        match rx.try_recv() {
            Ok(f) => sink.feed(Message::Text(f)).await?,
            Err(_) => break,
        }
    }
    sink.flush().await
}
