//! Hearth's selective forwarding unit (SFU), on str0m: each participant of a call sends its
//! media to the server once, over one UDP port shared by every call, and the server forwards
//! it to the call's other participants. One task owns the socket and every participant's
//! `Rtc` (str0m is sans-IO: packets and the time go in, packets and events come out); the
//! WebSocket side talks to it through [`Sfu`], a channel, so no lock is held across an await.
//!
//! Who offers is fixed, so offers never collide in the usual case: a participant offers what
//! it sends (its first offer also opens the connection), and the server offers what a
//! participant receives, one offer at a time ([`SfuEvent::Offer`], answered with
//! [`Sfu::answer`]). Everything the SFU says to a participant, its answers included
//! ([`SfuEvent::Answer`]), comes out of one channel in the order it was said, so an offer
//! never overtakes the answer before it (the participant would take it for a crossing offer). When offers cross, the participant's wins (it need not roll back): the
//! server drops its own, answers, and offers again. Only participants of the same call receive each other's media. The
//! SFU takes a [`Seat`] as given: the WebSocket side checks that the user is a participant
//! of that call before it passes anything on.

use std::net::{IpAddr, SocketAddr};

use str0m::Candidate;
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

use hearth_shared::call::{CallId, Tile};
use hearth_shared::UserId;

mod codecs;
mod congestion;
mod driver;
mod gop;
pub mod layers;
mod participant;
mod simulcast;
mod speaker;
mod throttle;

/// A participant of a call, as the SFU knows them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Seat {
    /// The call.
    pub call: CallId,
    /// Who.
    pub user: UserId,
}

/// What the SFU needs the WebSocket side to carry to a participant, in this order.
#[derive(Debug, Clone, PartialEq)]
pub enum SfuEvent {
    /// The answer to the participant's offer ([`Sfu::offer`]).
    Answer {
        /// To whom.
        to: Seat,
        /// The SDP.
        sdp: String,
    },
    /// An offer of what the participant is to receive; answer it with [`Sfu::answer`].
    Offer {
        /// To whom.
        to: Seat,
        /// The SDP.
        sdp: String,
    },
    /// A participant's connection closed by itself (ICE gave up, the peer went away): they
    /// are out of the SFU. A tab in a call finds out for itself; a WHIP publisher has no
    /// other way to say so.
    Gone(Seat),
    /// The call's active speaker changed (see `speaker.rs`): for every participant; or who
    /// it is, for a participant who just connected (`to`).
    Speaker {
        /// The call.
        call: CallId,
        /// Who speaks now.
        user: UserId,
        /// Only this participant (a newcomer); none: everyone in the call.
        to: Option<UserId>,
    },
}

/// Why the SFU refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SfuError {
    /// The SDP could not be read or applied.
    #[error("the media server could not use this description: {0}")]
    Sdp(String),
    /// An answer with no offer of the server's waiting for it.
    #[error("no offer of the media server is waiting for an answer")]
    NoOffer,
    /// The participant is not connected to the SFU.
    #[error("not connected to the media server")]
    NotConnected,
    /// The SFU's task is gone (the server is stopping).
    #[error("the media server is not running")]
    Stopped,
}

/// Where the SFU's answer to an offer goes.
enum AnswerTo {
    /// Out of the events, in order with its offers (a tab in a call); the reply says
    /// whether it was made.
    Events(oneshot::Sender<Result<(), SfuError>>),
    /// Straight back (a WHIP publisher: the SFU never offers it anything).
    Caller(oneshot::Sender<Result<String, SfuError>>),
}

/// Whose tracks a participant connecting to the SFU will receive before those senders have
/// connected: slots are kept for them in the SFU's first offer to it (see
/// `Participant::expect`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Slots {
    /// The call's other participants whose media it will receive.
    pub from: Vec<UserId>,
    /// Whether each sends a picture as well as sound (a video call).
    pub video: bool,
}

enum Command {
    Offer {
        from: Seat,
        sdp: String,
        /// Whether what it sends is forwarded (a broadcast's viewer: no).
        sends: bool,
        /// Slots for the tracks it is to receive from senders not connected yet.
        expect: Slots,
        reply: AnswerTo,
    },
    /// A remote ICE candidate, trickled (WHIP's `PATCH`).
    Candidate(Seat, Candidate),
    Answer {
        from: Seat,
        sdp: String,
        reply: oneshot::Sender<Result<(), SfuError>>,
    },
    Leave(Seat),
    Shows {
        seat: Seat,
        of: UserId,
        tile: Tile,
    },
}

/// The media port's receive and send buffers: a burst (everyone's keyframe after a join, the
/// packets that come while the SFU's task answers an offer) must wait there, not be dropped.
/// The kernel's default (208 KiB) held about 17 ms of 180 cameras (bench/sfu.sh); Linux caps
/// this at `net.core.rmem_max` / `wmem_max`.
const MEDIA_BUFFER: usize = 4 << 20;

fn media_socket(bind: SocketAddr) -> std::io::Result<UdpSocket> {
    use socket2::{Domain, Protocol, Socket, Type};
    let s = Socket::new(Domain::for_address(bind), Type::DGRAM, Some(Protocol::UDP))?;
    for (what, set) in [
        ("receive", s.set_recv_buffer_size(MEDIA_BUFFER)),
        ("send", s.set_send_buffer_size(MEDIA_BUFFER)),
    ] {
        if let Err(e) = set {
            tracing::warn!("media port: the {what} buffer stays at the default: {e}");
        }
    }
    s.set_nonblocking(true)?;
    s.bind(&bind.into())?;
    UdpSocket::from_std(s.into())
}

/// The handle to the running SFU; cheap to clone.
#[derive(Clone)]
pub struct Sfu {
    tx: mpsc::UnboundedSender<Command>,
    addr: SocketAddr,
}

impl Sfu {
    /// Binds the media port (`bind`; port 0 picks one) and starts the SFU's task. Its
    /// candidate advertises `public_ip` if given, else the address bound (which must then be
    /// a specific one, not 0.0.0.0). Events for participants come out of the receiver.
    pub async fn start(
        bind: SocketAddr,
        public_ip: Option<IpAddr>,
    ) -> std::io::Result<(Sfu, mpsc::UnboundedReceiver<SfuEvent>)> {
        let socket = media_socket(bind)?;
        let local = socket.local_addr()?;
        let addr = SocketAddr::new(public_ip.unwrap_or(local.ip()), local.port());
        if addr.ip().is_unspecified() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the media port is bound to every address: say which one to advertise",
            ));
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let (events_tx, events) = mpsc::unbounded_channel();
        tokio::spawn(driver::run(socket, addr, rx, events_tx));
        Ok((Sfu { tx, addr }, events))
    }

    /// The address participants send their media to.
    pub fn media_addr(&self) -> SocketAddr {
        self.addr
    }

    /// A participant's offer: the first connects them to the SFU (and to the call's media);
    /// later ones change what they send. The SFU's answer comes out as an
    /// [`SfuEvent::Answer`] before this returns.
    ///
    /// `expect`: whose tracks it will receive though they have not connected yet (the
    /// others of a call that moves to the relay, who all connect at about the same time):
    /// the SFU's first offer to it has a slot for each, so their media flows as they come,
    /// with no offer more.
    pub async fn offer(&self, from: Seat, sdp: String, expect: Slots) -> Result<(), SfuError> {
        self.offer_as(from, sdp, true, expect).await
    }

    /// The offer of a participant who only receives (a broadcast's viewer): whatever it
    /// offers to send is answered but goes to nobody.
    pub async fn offer_to_watch(
        &self,
        from: Seat,
        sdp: String,
        expect: Slots,
    ) -> Result<(), SfuError> {
        self.offer_as(from, sdp, false, expect).await
    }

    async fn offer_as(
        &self,
        from: Seat,
        sdp: String,
        sends: bool,
        expect: Slots,
    ) -> Result<(), SfuError> {
        let (reply, answer) = oneshot::channel();
        let reply = AnswerTo::Events(reply);
        self.tx
            .send(Command::Offer {
                from,
                sdp,
                sends,
                expect,
                reply,
            })
            .map_err(|_| SfuError::Stopped)?;
        answer.await.map_err(|_| SfuError::Stopped)?
    }

    /// A publisher's one offer (WHIP): it connects and sends; the answer comes back here,
    /// not as an event. Nothing is ever offered to it, so it must be one who receives
    /// nothing (a broadcast's host).
    pub async fn publish(&self, from: Seat, sdp: String) -> Result<String, SfuError> {
        let (reply, answer) = oneshot::channel();
        let reply = AnswerTo::Caller(reply);
        self.tx
            .send(Command::Offer {
                from,
                sdp,
                sends: true,
                expect: Slots::default(),
                reply,
            })
            .map_err(|_| SfuError::Stopped)?;
        answer.await.map_err(|_| SfuError::Stopped)?
    }

    /// A remote candidate of a participant's connection (WHIP trickle).
    pub fn candidate(&self, seat: Seat, candidate: Candidate) {
        let _ = self.tx.send(Command::Candidate(seat, candidate));
    }

    /// A participant's answer to the SFU's latest offer.
    pub async fn answer(&self, from: Seat, sdp: String) -> Result<(), SfuError> {
        let (reply, done) = oneshot::channel();
        self.tx
            .send(Command::Answer { from, sdp, reply })
            .map_err(|_| SfuError::Stopped)?;
        done.await.map_err(|_| SfuError::Stopped)?
    }

    /// The participant `seat` shows `of`'s picture as `tile`: the layer it gets follows.
    pub fn shows(&self, seat: Seat, of: UserId, tile: Tile) {
        let _ = self.tx.send(Command::Shows { seat, of, tile });
    }

    /// The participant is out: their connection closes and the others stop receiving them.
    pub fn leave(&self, seat: Seat) {
        let _ = self.tx.send(Command::Leave(seat));
    }
}
