//! The link's side of calls: starting one, passing call commands out, and keeping the call
//! controller and the newest STUN/TURN servers for it.

use super::{Intent, Link};
use crate::webrtc::call::CallController;
use hearth_shared::call::{CallKind, ClientCall, IceServer};
use hearth_shared::{ClientMsg, UserId};

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
        self.ice_servers.replace(servers);
    }
}
