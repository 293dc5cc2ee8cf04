//! "Test connection": can this browser reach friends on other networks? It gathers
//! candidates with the STUN/TURN servers Hearth gave (host: direct; server-reflexive: STUN;
//! relayed over UDP and over TCP: TURN), then makes a short call between two connections in
//! this page, forced through the relay, and times each step.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{RtcConfiguration, RtcPeerConnection};

mod report;

use report::{verdict, why_no_relay, ServerError};
pub use report::{Outcome, Path, Report};

use super::js;
use hearth_shared::call::IceServer;

/// How long gathering or the relay call may take.
const DEADLINE_MS: f64 = 10_000.0;

/// `RTCConfiguration` as JSON.
#[derive(serde::Serialize)]
struct Config<'a> {
    #[serde(rename = "iceServers")]
    ice_servers: &'a [IceServer],
    #[serde(rename = "iceTransportPolicy")]
    policy: &'static str,
}

fn connection(servers: &[IceServer], relay_only: bool) -> Result<RtcPeerConnection, String> {
    let config = Config {
        ice_servers: servers,
        policy: if relay_only { "relay" } else { "all" },
    };
    let config: RtcConfiguration = js::to_js(&config)?.unchecked_into();
    RtcPeerConnection::new_with_configuration(&config).map_err(js::describe)
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// A candidate found: its type and when.
struct Found {
    kind: String,
    ms: f64,
}

#[derive(Default)]
struct Gathered {
    found: Vec<Found>,
    errors: Vec<ServerError>,
}

impl Gathered {
    /// How long the first candidate of `kind` took.
    fn first(&self, kind: &str) -> Option<u32> {
        self.found
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.ms as u32)
            .min()
    }
}

/// Records `pc`'s candidates and server errors into `into`, timed from `start`.
fn listen(pc: &RtcPeerConnection, into: &Rc<RefCell<Gathered>>, start: f64) -> [EventListener; 2] {
    let found = EventListener::new(pc, "icecandidate", {
        let into = into.clone();
        move |e| {
            let c = Reflect::get(e, &"candidate".into()).unwrap_or(JsValue::NULL);
            if let Some(kind) = js::text(&c, "type") {
                into.borrow_mut().found.push(Found {
                    kind,
                    ms: now() - start,
                });
            }
        }
    });
    let refused = EventListener::new(pc, "icecandidateerror", {
        let into = into.clone();
        move |e| {
            let code = Reflect::get(e, &"errorCode".into())
                .ok()
                .and_then(|c| c.as_f64())
                .unwrap_or(0.0);
            into.borrow_mut().errors.push(ServerError {
                url: js::text(e, "url").unwrap_or_default(),
                code: code as u16,
                text: js::text(e, "errorText").unwrap_or_default(),
            });
        }
    });
    [found, refused]
}

/// Gathers every candidate `servers` give (or the deadline passes); `relay_only` asks for
/// relayed candidates only.
async fn gather(servers: &[IceServer], relay_only: bool) -> Result<Gathered, String> {
    let pc = connection(servers, relay_only)?;
    let into = Rc::new(RefCell::new(Gathered::default()));
    let _listeners = listen(&pc, &into, now());
    js::call1(&pc, "createDataChannel", &"probe".into())?;
    js::settle(js::start0(&pc, "setLocalDescription")).await?;
    let start = now();
    while js::text(&pc, "iceGatheringState").as_deref() != Some("complete")
        && now() - start < DEADLINE_MS
    {
        js::sleep(100).await;
    }
    pc.close();
    Ok(into.take())
}

/// Hands each connection's candidates to the other.
fn cross(a: &RtcPeerConnection, b: &RtcPeerConnection) -> EventListener {
    let b = b.clone();
    EventListener::new(a, "icecandidate", move |e| {
        let c = Reflect::get(e, &"candidate".into()).unwrap_or(JsValue::NULL);
        if !c.is_null() {
            let _ = js::call1(&b, "addIceCandidate", &c);
        }
    })
}

fn description(pc: &RtcPeerConnection) -> JsValue {
    pc.local_description().map_or(JsValue::NULL, JsValue::from)
}

/// A call between two connections of this page, relay only: how long until connected.
async fn relay_call(servers: &[IceServer]) -> Result<u32, String> {
    let (a, b) = (connection(servers, true)?, connection(servers, true)?);
    let _wires = [cross(&a, &b), cross(&b, &a)];
    let start = now();
    js::call1(&a, "createDataChannel", &"probe".into())?;
    js::settle(js::start0(&a, "setLocalDescription")).await?;
    js::settle(js::start1(&b, "setRemoteDescription", &description(&a))).await?;
    js::settle(js::start0(&b, "setLocalDescription")).await?;
    js::settle(js::start1(&a, "setRemoteDescription", &description(&b))).await?;
    let result = loop {
        match js::text(&a, "connectionState").as_deref() {
            Some("connected") => break Ok((now() - start) as u32),
            Some("failed") => break Err("the connection through the relay failed".to_owned()),
            _ if now() - start > DEADLINE_MS => break Err("no connection within 10 s".to_owned()),
            _ => js::sleep(50).await,
        }
    };
    a.close();
    b.close();
    result
}

/// The TURN servers of `servers` reached over TCP (`tcp`) or UDP, each with only those URLs.
/// (Chromium does not say which transport a relayed candidate came over, so each transport
/// is gathered on its own.)
fn turn_over(servers: &[IceServer], tcp: bool) -> Vec<IceServer> {
    servers
        .iter()
        .map(|s| IceServer {
            urls: s
                .urls
                .iter()
                .filter(|u| u.starts_with("turn") && u.contains("transport=tcp") == tcp)
                .cloned()
                .collect(),
            ..s.clone()
        })
        .filter(|s| !s.urls.is_empty())
        .collect()
}

/// Whether a relay of `servers` gives a relayed address: how fast, or why not.
async fn relay_check(servers: &[IceServer]) -> Outcome {
    if servers.is_empty() {
        return Outcome::NotConfigured;
    }
    match gather(servers, true).await {
        Ok(g) => match g.first("relay") {
            Some(ms) => Outcome::Works { ms },
            None => Outcome::Fails(why_no_relay(&g.errors)),
        },
        Err(e) => Outcome::Fails(e),
    }
}

fn found_or(ms: Option<u32>, configured: bool, why: impl FnOnce() -> String) -> Outcome {
    match (ms, configured) {
        (Some(ms), _) => Outcome::Works { ms },
        (None, false) => Outcome::NotConfigured,
        (None, true) => Outcome::Fails(why()),
    }
}

/// Runs every check with `servers` and concludes.
pub async fn run(servers: Vec<IceServer>) -> Report {
    let (direct, stun) = match gather(&servers, false).await {
        Ok(g) => (
            found_or(g.first("host"), true, || {
                "this browser offers no local address".into()
            }),
            found_or(g.first("srflx"), !servers.is_empty(), || {
                "no public address seen (fine if this device has one of its own)".into()
            }),
        ),
        Err(e) => (Outcome::Fails(e.clone()), Outcome::Fails(e)),
    };
    let udp = relay_check(&turn_over(&servers, false)).await;
    let tcp = relay_check(&turn_over(&servers, true)).await;
    let call = match (&udp, &tcp) {
        (Outcome::NotConfigured, Outcome::NotConfigured) => Outcome::NotConfigured,
        (Outcome::Works { .. }, _) | (_, Outcome::Works { .. }) => match relay_call(&servers).await
        {
            Ok(ms) => Outcome::Works { ms },
            Err(why) => Outcome::Fails(why),
        },
        (Outcome::Fails(why), _) | (_, Outcome::Fails(why)) => Outcome::Fails(why.clone()),
    };
    let findings = vec![
        (Path::Direct, direct),
        (Path::Stun, stun),
        (Path::TurnUdp, udp),
        (Path::TurnTcp, tcp),
        (Path::RelayCall, call),
    ];
    let verdict = verdict(&findings);
    Report { findings, verdict }
}
