//! The link's side of calls: starting one, passing call commands out, routing call events
//! (room calls' news to the rooms store, the rest to the two call controllers), and keeping
//! the controllers and the newest STUN/TURN servers for them.

use super::{Intent, Link};
use crate::state::friends::FriendsAction;
use crate::state::rooms::RoomsAction;
use crate::webrtc::call::CallController;
use crate::webrtc::mesh::{MeshCall, Part, Rejoin};
use hearth_shared::call::{
    CallKind, ClientCall, IceServer, ServerCall, StageRejoin, FRIENDS_STAGE,
};
use hearth_shared::{ClientMsg, ConversationId, UserId};

impl Link {
    /// Starts a call; the answer goes to the call controller.
    pub fn invite(&self, callee: UserId, kind: CallKind) -> bool {
        self.request(Intent::Call, |req_id| {
            ClientMsg::Call(ClientCall::Invite {
                req_id,
                callee,
                kind,
            })
        })
    }

    /// Joins (or starts, or with `rejoin` returns to) a room's call; the answer goes to the
    /// room call controller.
    /// As `part`: going live sends `go_live`, watching `watch` (a rejoin is a `join_room`
    /// whatever the part). In `FRIENDS_STAGE`: `watch_friend` of `host`, else
    /// `go_live_to_friends`, with the rejoin's word if any.
    pub fn join_room(
        &self,
        room: ConversationId,
        (kind, part, host): (CallKind, Part, Option<UserId>),
        rejoin: Option<Rejoin>,
    ) -> bool {
        if room == FRIENDS_STAGE {
            let host = host.filter(|h| *h != self.me.id);
            let rejoin = rejoin.map(|r| StageRejoin {
                call_id: r.call_id,
                with: r.with,
                seconds: r.seconds,
            });
            return self.request(Intent::JoinRoom, |req_id| {
                ClientMsg::Call(match host {
                    Some(host) => ClientCall::WatchFriend {
                        req_id,
                        host,
                        rejoin,
                    },
                    None => ClientCall::GoLiveToFriends { req_id, rejoin },
                })
            });
        }
        let (call_id, with, seconds, host) = match rejoin {
            Some(r) => (Some(r.call_id), r.with, Some(r.seconds), r.host),
            None => (None, Vec::new(), None, None),
        };
        self.request(Intent::JoinRoom, |req_id| {
            ClientMsg::Call(match part {
                Part::Live if call_id.is_none() => ClientCall::GoLive { req_id, room },
                Part::Watch if call_id.is_none() => ClientCall::Watch { req_id, room },
                _ => ClientCall::JoinRoom {
                    req_id,
                    room,
                    kind,
                    call_id,
                    with,
                    seconds,
                    host,
                },
            })
        })
    }

    /// Hands the room call controller the ICE servers known so far, and keeps it.
    pub fn attach_mesh(&self, mesh: MeshCall) {
        mesh.set_ice_servers(self.ice_servers.borrow().clone());
        self.mesh.replace(Some(mesh));
    }

    /// Routes a call event.
    pub(super) fn on_call(&self, c: ServerCall) {
        match &c {
            ServerCall::RoomCall { room, call } => {
                return self.rooms.dispatch(RoomsAction::Call(*room, call.clone()));
            }
            ServerCall::FriendLive { host, call } => {
                let live = FriendsAction::Live(*host, call.clone());
                return self.friends.dispatch(live);
            }
            ServerCall::Ringing { call, by } => {
                return self
                    .rooms
                    .dispatch(RoomsAction::Ringing(call.clone(), by.clone()));
            }
            ServerCall::Ended { call_id, .. } => {
                self.rooms
                    .dispatch(RoomsAction::StopRinging(call_id.clone()));
            }
            _ => {}
        }
        if let Some(mesh) = self.mesh.borrow().clone() {
            mesh.on_server(c.clone());
        }
        if let Some(ctl) = self.call_ctl() {
            ctl.on_server(c);
        }
    }

    /// Sends a call command; false when offline.
    pub fn send_call(&self, cmd: ClientCall) -> bool {
        self.send(ClientMsg::Call(cmd))
    }

    /// Hands the controller the ICE servers known so far, and keeps it for later messages.
    pub fn attach_call(&self, ctl: CallController) {
        ctl.set_ice_servers(self.ice_servers.borrow().clone());
        self.call.replace(Some(ctl));
    }

    pub(super) fn call_ctl(&self) -> Option<CallController> {
        self.call.borrow().clone()
    }

    /// The newest STUN/TURN servers the server gave.
    pub fn ice_servers(&self) -> Vec<IceServer> {
        self.ice_servers.borrow().clone()
    }

    /// Keeps the newest STUN/TURN servers (TURN credentials expire) for the next call.
    pub(super) fn set_ice_servers(&self, servers: Vec<IceServer>) {
        if let Some(ctl) = self.call_ctl() {
            ctl.set_ice_servers(servers.clone());
        }
        if let Some(mesh) = self.mesh.borrow().clone() {
            mesh.set_ice_servers(servers.clone());
        }
        self.ice_servers.replace(servers);
    }
}
