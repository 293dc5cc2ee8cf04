//! Sending from a connection's own task, and turning failures into `Error` frames.

use tokio::sync::mpsc;

use crate::hub::Frame;
use crate::store::StoreError;
use hearth_shared::call::CallId;
use hearth_shared::session::{ErrorCode, ServerSession};
use hearth_shared::{ReqId, ServerMsg};

/// A refused request: the code and the words the client sees.
#[derive(Debug)]
pub struct Refusal(pub ErrorCode, pub String);

impl Refusal {
    /// A refusal with a fixed message.
    pub fn new(code: ErrorCode, message: &str) -> Refusal {
        Refusal(code, message.to_owned())
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Refusal {
        use ErrorCode::*;
        match e {
            StoreError::NotFriends => Refusal::new(NotFriends, "you are not friends"),
            StoreError::NotInConversation => {
                Refusal::new(NotInConversation, "no such conversation")
            }
            StoreError::NoSuchUser => Refusal::new(UserNotFound, "no user with that name"),
            StoreError::Conflict(why) => Refusal::new(Conflict, why),
            StoreError::Exists => Refusal::new(Conflict, "already exists"),
            StoreError::Sqlite(_) | StoreError::Task => {
                tracing::error!("store failure: {e}");
                Refusal::new(Internal, "the server could not do that; try again")
            }
        }
    }
}

/// Sends to the connection's own queue, waiting for room (backpressure for the client's own
/// requests; only frames from elsewhere use the hub's overflow policy).
#[derive(Clone)]
pub struct Reply {
    tx: mpsc::Sender<Frame>,
    /// The frame the writer sends before anything queued (the welcome), taken once.
    head: std::sync::Arc<std::sync::Mutex<Option<tokio::sync::oneshot::Sender<Frame>>>>,
}

impl Reply {
    /// Wraps a connection's queue, and the writer's slot for the frame that goes first.
    pub fn new(tx: mpsc::Sender<Frame>, head: tokio::sync::oneshot::Sender<Frame>) -> Reply {
        Reply {
            tx,
            head: std::sync::Arc::new(std::sync::Mutex::new(Some(head))),
        }
    }

    fn take_head(&self) -> Option<tokio::sync::oneshot::Sender<Frame>> {
        self.head.lock().ok()?.take()
    }

    /// Sends `msg` ahead of every frame queued so far (frames from other connections may
    /// queue from the moment the connection is registered); false if the connection is gone.
    pub fn send_first(&self, msg: impl Into<ServerMsg>) -> bool {
        let Ok(json) = serde_json::to_string(&msg.into()) else {
            return false;
        };
        self.take_head()
            .is_some_and(|head| head.send(Frame::from(json)).is_ok())
    }

    /// Lets the writer send what is queued without a first frame (the handshake failed).
    pub fn no_first(&self) {
        drop(self.take_head());
    }

    /// The queue, for registering with the hub.
    pub fn sender(&self) -> mpsc::Sender<Frame> {
        self.tx.clone()
    }

    /// Completes when the writer has gone (the socket failed or a write timed out).
    pub async fn closed(&self) {
        self.tx.closed().await;
    }

    /// Sends one message; false if the connection is gone.
    pub async fn send(&self, msg: impl Into<ServerMsg>) -> bool {
        match serde_json::to_string(&msg.into()) {
            Ok(json) => self.tx.send(Frame::from(json)).await.is_ok(),
            Err(e) => {
                tracing::error!("serialize: {e}");
                true
            }
        }
    }

    /// Sends `Ack`, or `Error` for a refusal.
    pub async fn answer(&self, req_id: ReqId, result: Result<(), Refusal>) -> bool {
        match result {
            Ok(()) => self.send(ServerSession::Ack { req_id }).await,
            Err(r) => self.error(Some(req_id), r).await,
        }
    }

    /// Sends an `Error`.
    pub async fn error(&self, req_id: Option<ReqId>, refusal: Refusal) -> bool {
        self.call_error(req_id, None, refusal).await
    }

    /// Sends an `Error` for a call command: the request's number if it had one, and the call.
    pub async fn call_error(
        &self,
        req_id: Option<ReqId>,
        call_id: Option<CallId>,
        Refusal(code, message): Refusal,
    ) -> bool {
        self.send(ServerSession::Error {
            req_id,
            call_id,
            code,
            message,
            retry_after_ms: None,
        })
        .await
    }

    /// Sends a `rate_limited` error: too many `what`, try again after `wait`.
    pub async fn rate_limited(
        &self,
        req_id: Option<ReqId>,
        what: &str,
        wait: std::time::Duration,
    ) -> bool {
        let ms = u32::try_from(wait.as_millis().max(1)).unwrap_or(u32::MAX);
        self.send(ServerSession::Error {
            req_id,
            call_id: None,
            code: ErrorCode::RateLimited,
            message: format!(
                "too many {what}; try again in {:.1} s",
                f64::from(ms) / 1000.0
            ),
            retry_after_ms: Some(ms),
        })
        .await
    }
}
