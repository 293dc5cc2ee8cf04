//! Call helpers for the scenario tests: one step of a call each, waiting for the frame it
//! expects.

use hearth_shared::call::*;
use hearth_shared::chat::ServerChat;
use hearth_shared::session::{ErrorCode, ServerSession};
use hearth_shared::{ClientMsg, ServerMsg};

use super::Client;

pub async fn call_event<T>(c: &mut Client, mut pick: impl FnMut(&ServerCall) -> Option<T>) -> T {
    c.recv_until(|m| match m {
        ServerMsg::Call(call) => pick(call),
        _ => None,
    })
    .await
}

pub async fn invite(a: &mut Client, callee: &Client, kind: CallKind) -> CallId {
    let req_id = a.req();
    let callee = callee.me.id;
    a.send(ClientMsg::Call(ClientCall::Invite {
        req_id,
        callee,
        kind,
    }))
    .await;
    call_event(a, |c| match c {
        ServerCall::Outgoing { req_id: r, call } if *r == req_id => Some(call.id.clone()),
        _ => None,
    })
    .await
}

pub async fn incoming(c: &mut Client) -> CallInfo {
    call_event(c, |m| match m {
        ServerCall::Incoming { call } => Some(call.clone()),
        _ => None,
    })
    .await
}

pub async fn ended(c: &mut Client, id: &CallId) -> EndReason {
    call_event(c, |m| match m {
        ServerCall::Ended { call_id, reason } if call_id == id => Some(*reason),
        _ => None,
    })
    .await
}

pub async fn recorded(c: &mut Client) -> CallRecord {
    c.recv_until(|m| match m {
        ServerMsg::Chat(ServerChat::Posted { message }) => message.call.clone(),
        _ => None,
    })
    .await
}

pub async fn accept(c: &mut Client, id: &CallId) {
    send(
        c,
        ClientCall::Accept {
            call_id: id.clone(),
            req_id: None,
        },
    )
    .await;
}

pub async fn connected(c: &mut Client) {
    call_event(c, |m| {
        matches!(m, ServerCall::Connected { .. }).then_some(())
    })
    .await;
}

pub async fn send(c: &mut Client, cmd: ClientCall) {
    c.send(ClientMsg::Call(cmd)).await;
}

/// `a` calls `b`, who answers; returns the call once `a` is connected.
pub async fn answered(a: &mut Client, b: &mut Client) -> CallId {
    let id = invite(a, b, CallKind::Video).await;
    incoming(b).await;
    accept(b, &id).await;
    connected(a).await;
    id
}

/// The code of the next `error` frame `c` gets.
pub async fn refused(c: &mut Client) -> ErrorCode {
    c.recv_until(|m| match m {
        ServerMsg::Session(ServerSession::Error { code, .. }) => Some(*code),
        _ => None,
    })
    .await
}

/// `c` sends the media relay (SFU) a description for call `id`.
pub async fn to_sfu(c: &mut Client, id: &CallId, kind: SdpType, sdp: String) {
    let description = SessionDescription { kind, sdp };
    let call_id = id.clone();
    c.send(ClientMsg::Call(ClientCall::SfuDescription {
        call_id,
        description,
    }))
    .await;
}

/// The next description of `kind` the media relay sends `c`.
pub async fn from_sfu(c: &mut Client, kind: SdpType) -> String {
    c.recv_until(|m| match m {
        ServerMsg::Call(ServerCall::SfuDescription { description, .. })
            if description.kind == kind =>
        {
            Some(description.sdp.clone())
        }
        _ => None,
    })
    .await
}
