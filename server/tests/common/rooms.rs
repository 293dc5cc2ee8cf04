//! Room helpers for the scenario tests: a command and its answer, a rooms list, the room
//! "Trip" of alice, bob and carol, and joining its call.

use hearth_shared::call::{CallId, CallKind, ClientCall, RoomCallInfo, ServerCall};
use hearth_shared::rooms::{ClientRooms, Room, ServerRooms};
use hearth_shared::session::{ErrorCode, ServerSession};
use hearth_shared::{ClientMsg, ConversationId, ReqId, ServerMsg, UserId};

use super::{befriend, Client, TestServer};

/// Sends a rooms command; returns its answer.
pub async fn rooms_cmd(
    c: &mut Client,
    make: impl FnOnce(ReqId) -> ClientRooms,
) -> Result<(), ErrorCode> {
    let req = c.req();
    c.send(ClientMsg::Rooms(make(req))).await;
    c.answer(req).await
}

/// The first rooms list that `pick` accepts.
pub async fn rooms_where(c: &mut Client, pick: impl Fn(&[Room]) -> bool) -> Vec<Room> {
    c.recv_until(|m| match m {
        ServerMsg::Rooms(ServerRooms::Rooms { rooms }) if pick(rooms) => Some(rooms.clone()),
        _ => None,
    })
    .await
}

/// alice, bob and carol, all friends of alice's, and a room "Trip" of the three.
pub async fn trip(server: &TestServer) -> (Client, Client, Client, ConversationId) {
    let mut a = server.user("alice").await;
    let mut b = server.user("bob").await;
    let mut c = server.user("carol").await;
    befriend(&mut a, &mut b).await;
    befriend(&mut a, &mut c).await;
    let members = vec![b.me.id, c.me.id];
    rooms_cmd(&mut a, |req_id| ClientRooms::Create {
        req_id,
        name: "Trip".into(),
        members,
    })
    .await
    .expect("made");
    let mut room = None;
    for x in [&mut a, &mut b, &mut c] {
        let rooms = rooms_where(x, |r| r.iter().any(|r| r.name == "Trip")).await;
        let r = rooms
            .into_iter()
            .find(|r| r.name == "Trip")
            .expect("listed");
        assert_eq!(r.members.len(), 3);
        room = Some(r.id);
    }
    (a, b, c, room.expect("a room"))
}

/// The owner removes `user` from `room`.
pub async fn remove_member(owner: &mut Client, room: ConversationId, user: hearth_shared::UserId) {
    rooms_cmd(owner, |req_id| ClientRooms::Remove { req_id, room, user })
        .await
        .expect("removed");
}

/// What a `join_room` carries besides the room: a rejoin's call, the participants the tab
/// is still connected to, how long it has been in the call, and a broadcast's host.
#[derive(Default)]
pub struct Rejoining {
    pub call_id: Option<CallId>,
    pub with: Vec<UserId>,
    pub seconds: Option<u32>,
    pub host: Option<UserId>,
}

/// `c` sends `join_room` (a video call); the call it was given, or the refusal.
pub async fn join_room(
    c: &mut Client,
    room: ConversationId,
    rejoin: Rejoining,
) -> Result<RoomCallInfo, (ErrorCode, String)> {
    let req_id = c.req();
    c.send(ClientMsg::Call(ClientCall::JoinRoom {
        req_id,
        room,
        kind: CallKind::Video,
        call_id: rejoin.call_id,
        with: rejoin.with,
        seconds: rejoin.seconds,
        host: rejoin.host,
    }))
    .await;
    entered(c, req_id).await
}

/// Sends the command `make` builds to enter a room's call (`go_live`, `watch`); returns the
/// call, or the refusal's code and message.
pub async fn enter(
    c: &mut Client,
    make: impl FnOnce(ReqId) -> ClientCall,
) -> Result<RoomCallInfo, (ErrorCode, String)> {
    let req_id = c.req();
    c.send(ClientMsg::Call(make(req_id))).await;
    entered(c, req_id).await
}

/// The answer to request `req_id` that enters a room's call: `joined`, or an error.
async fn entered(c: &mut Client, req_id: ReqId) -> Result<RoomCallInfo, (ErrorCode, String)> {
    c.recv_until(|m| match m {
        ServerMsg::Call(ServerCall::Joined { req_id: r, call }) if *r == req_id => {
            Some(Ok(call.clone()))
        }
        ServerMsg::Session(ServerSession::Error {
            req_id: Some(r),
            code,
            message,
            ..
        }) if *r == req_id => Some(Err((*code, message.clone()))),
        _ => None,
    })
    .await
}
