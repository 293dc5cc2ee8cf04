//! Everything a request handler can reach, cloned into each filter.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use crate::assets::Assets;
use crate::auth::backoff::Backoff;
use crate::auth::password::Hasher;
use crate::auth::ratelimit::RateLimiter;
use crate::hub::slots::SocketSlots;
use crate::hub::Hub;
use crate::limits::UserLimits;
use crate::store::Store;

/// Tunable behaviour; tests shorten the timeouts.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Origins allowed besides the server's own (`--allowed-origin`).
    pub allowed_origins: Vec<String>,
    /// Whether the server is reached over TLS (cookies get `Secure`, origins are `https`).
    pub tls: bool,
    /// The origin of `--public-url` (`https://chat.example.com`): when set, the only own
    /// origin, whatever address the request came to (a reverse proxy's, say).
    pub public_origin: Option<String>,
    /// How often clients should ping.
    pub heartbeat_interval: Duration,
    /// How long a connection may stay silent before the server closes it.
    pub idle_timeout: Duration,
    /// How long a new connection has to send `Hello`.
    pub handshake_timeout: Duration,
    /// Frames each connection's send queue holds before the overflow policy applies.
    pub send_queue: usize,
    /// Open connections in all (HTTP and WebSocket); `main` sets it below the open-file
    /// limit.
    pub max_connections: usize,
    /// Open connections from one client IP.
    pub max_connections_per_ip: usize,
    /// How long a connection may take to send a request's headers (or, when idle between
    /// requests, the next ones) before it is closed: slowloris.
    pub request_timeout: Duration,
    /// Multiplies every command budget (`limits`); load tests raise it.
    pub command_budget_scale: f64,
    /// Open sockets one user may have (tabs, devices).
    pub max_sockets_per_user: usize,
    /// How long writing one frame to a socket may take before the connection counts as
    /// dead (a client that stopped reading) and is closed.
    pub write_timeout: Duration,
    /// Login attempts per IP per minute (any accounts).
    pub login_per_ip_per_minute: usize,
    /// Failed logins for one account from one IP before each further one makes it wait.
    pub login_free_failures: u32,
    /// The first wait; it doubles with each further failure, up to `login_max_wait`.
    pub login_first_wait: Duration,
    /// The longest wait between failed logins for one account from one IP.
    pub login_max_wait: Duration,
    /// Accounts one IP may create per hour.
    pub signups_per_ip_per_hour: usize,
    /// The most members a room may have.
    pub room_max_members: usize,
    /// How big a room call may grow, and when it goes through the SFU (with no SFU
    /// running, never).
    pub room_calls: crate::hub::calls::RoomLimits,
    /// The SFU's media port: where to bind it, and the address participants reach it at
    /// (none: no SFU).
    pub media: Option<(std::net::SocketAddr, std::net::IpAddr)>,
    /// How long a call rings before it ends as missed.
    pub ring_timeout: Duration,
    /// STUN servers given to clients in `Welcome`.
    pub ice_servers: Vec<hearth_shared::call::IceServer>,
    /// TURN relays: each user gets their own time-limited credentials for them.
    pub turn: Option<crate::turn::Turn>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            allowed_origins: Vec::new(),
            tls: false,
            public_origin: None,
            heartbeat_interval: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(45),
            handshake_timeout: Duration::from_secs(5),
            send_queue: 256,
            write_timeout: Duration::from_secs(5),
            max_sockets_per_user: 16,
            command_budget_scale: 1.0,
            max_connections: 896,
            max_connections_per_ip: 256,
            request_timeout: Duration::from_secs(10),
            login_per_ip_per_minute: 30,
            login_free_failures: 5,
            login_first_wait: Duration::from_secs(1),
            login_max_wait: Duration::from_secs(5 * 60),
            signups_per_ip_per_hour: 20,
            room_max_members: 50,
            room_calls: crate::hub::calls::RoomLimits {
                mesh_max: 4,
                sfu: crate::hub::calls::SfuUse::Auto,
                sfu_max: 50,
                max_viewers: 100,
            },
            media: None,
            ring_timeout: Duration::from_secs(45),
            ice_servers: Vec::new(),
            turn: None,
        }
    }
}

impl Settings {
    /// Whether the browser reaches us over HTTPS, directly or through a proxy: session
    /// cookies are then `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.tls
            || self
                .public_origin
                .as_deref()
                .is_some_and(|o| o.starts_with("https://"))
    }

    /// The STUN and TURN servers for `user`, whose browser reached us at `host`, as of `now`
    /// (Unix seconds).
    pub fn ice_servers_for(
        &self,
        user: hearth_shared::UserId,
        host: &str,
        now: u64,
    ) -> Vec<hearth_shared::call::IceServer> {
        let mut all = self.ice_servers.clone();
        all.extend(self.turn.iter().map(|t| t.ice_server(user, now, host)));
        all
    }
}

/// Log-in and sign-up limits.
pub struct LoginLimits {
    /// Every log-in attempt, per client IP.
    pub per_ip: RateLimiter<IpAddr>,
    /// Failed log-ins per client IP and (lower-cased) username: growing waits.
    pub failures: Backoff<(Option<IpAddr>, String)>,
    /// Sign-ups per client IP.
    pub signups: RateLimiter<IpAddr>,
}

/// Shared server state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Live connections.
    pub hub: Hub,
    /// Each user's open sockets, capped.
    pub slots: SocketSlots,
    /// Each user's command budgets (rate limits across their connections).
    pub commands: UserLimits,
    /// Password hashing with bounded concurrency.
    pub hasher: Hasher,
    /// Log-in and sign-up limits.
    pub limits: Arc<Mutex<LoginLimits>>,
    /// Settings.
    pub settings: Arc<Settings>,
    /// The built frontend.
    pub assets: Arc<Assets>,
    /// Flipped to true when the server shuts down; connections subscribe to it.
    pub shutdown: Arc<watch::Sender<bool>>,
    /// The media relay, once started (see `server::run`).
    pub sfu: Option<crate::sfu::Sfu>,
    /// Broadcasts published from outside the browser (WHIP).
    pub whip: crate::whip::Sessions,
}

impl AppState {
    /// Builds the state.
    pub fn new(store: Store, settings: Settings, assets: Assets) -> AppState {
        let limits = LoginLimits {
            per_ip: RateLimiter::new(settings.login_per_ip_per_minute, Duration::from_secs(60)),
            failures: Backoff::new(
                settings.login_free_failures,
                settings.login_first_wait,
                settings.login_max_wait,
            ),
            signups: RateLimiter::new(settings.signups_per_ip_per_hour, Duration::from_secs(3600)),
        };
        AppState {
            store,
            hub: Hub::new(settings.ring_timeout),
            slots: SocketSlots::new(settings.max_sockets_per_user),
            commands: UserLimits::new(settings.command_budget_scale),
            hasher: Hasher::new(2, 64),
            limits: Arc::new(Mutex::new(limits)),
            settings: Arc::new(settings),
            assets: Arc::new(assets),
            shutdown: Arc::new(watch::Sender::new(false)),
            sfu: None,
            whip: crate::whip::Sessions::default(),
        }
    }
}

impl AppState {
    /// The room call limits, with the SFU off when the server runs none.
    pub fn room_limits(&self) -> crate::hub::calls::RoomLimits {
        let mut limits = self.settings.room_calls;
        if self.sfu.is_none() {
            limits.sfu = crate::hub::calls::SfuUse::Off;
        }
        limits
    }
}
