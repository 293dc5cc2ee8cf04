//! Command-line options (each also read from a `HEARTH_*` environment variable).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::hub::calls::{RoomLimits, SfuUse};

/// Hearth: a self-hosted messenger with calls for you and your friends.
#[derive(Debug, Clone, Parser)]
#[command(name = "hearth", version, about)]
pub struct Config {
    /// Address and port to listen on. Loopback addresses serve plain HTTP; any other address
    /// serves HTTPS (browsers give camera and microphone only to secure origins).
    #[arg(long, env = "HEARTH_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Folder for the SQLite database and the generated TLS certificate (created if missing).
    #[arg(long, env = "HEARTH_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Folder with the built web app (`trunk build` output).
    #[arg(long, env = "HEARTH_STATIC_DIR", default_value = "./dist")]
    pub static_dir: PathBuf,

    /// An extra origin allowed to use the API and WebSocket, e.g. `http://localhost:5173`.
    /// Repeat for more. The server's own origin is always allowed.
    #[arg(
        long = "allowed-origin",
        env = "HEARTH_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// PEM certificate chain for HTTPS. Without it (and off loopback) a self-signed
    /// certificate is generated in the data folder on first start.
    #[arg(long, env = "HEARTH_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// PEM private key for `--tls-cert`.
    #[arg(long, env = "HEARTH_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// A STUN server for calls, e.g. `stun:stun.example.org:3478`. Repeat for more. None by
    /// default: on a LAN, browsers connect directly.
    #[arg(long = "stun", env = "HEARTH_STUN", value_delimiter = ',')]
    pub stun: Vec<String>,

    /// Seconds a call rings before it ends as missed.
    #[arg(long, env = "HEARTH_RING_TIMEOUT", default_value_t = 45, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub ring_timeout: u64,

    /// The address people open, e.g. `https://chat.example.com` when Hearth runs behind a
    /// reverse proxy that terminates TLS. When set, it is the only origin (besides
    /// `--allowed-origin`) allowed to use the API and WebSocket, whatever `Host` the proxy
    /// sends, and it is the URL printed at start. `X-Forwarded-*` headers are never trusted.
    #[arg(long, env = "HEARTH_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// A TURN relay for calls between networks, e.g. `turn:turn.example.com:3478` or
    /// `turns:turn.example.com:5349?transport=tcp`. Repeat for more. Needs the relay's
    /// shared secret (`--turn-secret-file` or `HEARTH_TURN_SECRET`); each user then gets
    /// credentials that expire after `--turn-ttl`.
    #[arg(long = "turn-url", env = "HEARTH_TURN_URLS", value_delimiter = ',', value_parser = crate::turn::credentials::check_url)]
    pub turn_urls: Vec<String>,

    /// A file holding the TURN relay's shared secret (coturn's `static-auth-secret`).
    #[arg(long, env = "HEARTH_TURN_SECRET_FILE")]
    pub turn_secret_file: Option<PathBuf>,

    /// How long the TURN credentials handed to a user stay valid, in seconds. Connections
    /// get fresh ones at half that.
    #[arg(long, env = "HEARTH_TURN_TTL", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(60..=86_400))]
    pub turn_ttl: u64,

    /// Run coturn (Debian's `turnserver`) as a relay for calls, with a secret kept in the
    /// data folder and a hardened configuration. Hearth restarts it if it dies and hands
    /// out credentials for it.
    #[arg(long, env = "HEARTH_COTURN")]
    pub coturn: bool,

    /// coturn's port, UDP and TCP.
    #[arg(long, env = "HEARTH_COTURN_PORT", default_value_t = 3478)]
    pub coturn_port: u16,

    /// The public address of a server behind NAT (a home server behind its router): coturn
    /// announces it to browsers.
    #[arg(long, env = "HEARTH_PUBLIC_IP")]
    pub public_ip: Option<std::net::IpAddr>,

    /// The UDP port of Hearth's media relay (the SFU) for room calls: all media of all calls
    /// goes through this one port. 0 picks a free one. It is announced at `--public-ip`, or
    /// at the listening address when that is a specific one; with neither, there is no SFU.
    #[arg(long, env = "HEARTH_MEDIA_PORT", default_value_t = 10000)]
    pub media_port: u16,

    /// FOR TESTS ONLY: let coturn relay to loopback addresses, so a relayed call works on one
    /// machine. Never use it on a real server: it lets TURN users reach services on it.
    #[arg(long)]
    pub coturn_allow_loopback: bool,

    /// Accounts one client address may create per hour. Behind a reverse proxy every sign-up
    /// comes from the proxy's address: raise it there if many friends join at once.
    #[arg(long, env = "HEARTH_SIGNUPS_PER_HOUR", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub signups_per_hour: u32,

    /// The most members a room may have (its owner included).
    #[arg(long, env = "HEARTH_ROOM_MAX_MEMBERS", default_value_t = 50, value_parser = clap::value_parser!(u32).range(2..=1000))]
    pub room_max_members: u32,

    /// The most participants of a room call browser to browser. In such a call (a mesh)
    /// every participant sends its picture to every other, so each added person costs
    /// everyone an upload; past this, the call moves to the media relay (see `--sfu`).
    #[arg(long, env = "HEARTH_MESH_MAX", default_value_t = 4, value_parser = clap::value_parser!(u32).range(2..=16))]
    pub mesh_max: u32,

    /// When room calls go through the media relay (the SFU, on `--media-port`): `auto`
    /// once a call grows past `--mesh-max`, `always` from the start, `off` never (a call is
    /// then full at `--mesh-max`). Without a media port there is no relay, as with `off`.
    #[arg(long, env = "HEARTH_SFU", value_enum, default_value_t = SfuArg::Auto)]
    pub sfu: SfuArg,

    /// The most participants of a room call through the media relay.
    #[arg(long, env = "HEARTH_CALL_MAX", default_value_t = 50, value_parser = clap::value_parser!(u32).range(2..=200))]
    pub call_max: u32,

    /// The most viewers of one broadcast through the media relay. Without the relay a
    /// broadcast goes from its host's browser to each viewer's, up to `--mesh-max` in all.
    #[arg(long, env = "HEARTH_MAX_VIEWERS", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub max_viewers: u32,

    /// Open connections in all (HTTP and WebSocket). By default, as many as the open-file
    /// limit allows, after raising it to its hard limit.
    #[arg(long, env = "HEARTH_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(16..))]
    pub max_connections: Option<u32>,

    /// Open connections from one address. Behind a reverse proxy every connection comes
    /// from the proxy: raise it to `--max-connections` there.
    #[arg(long, env = "HEARTH_MAX_CONNECTIONS_PER_IP", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections_per_ip: u32,

    /// FOR LOAD TESTS: multiply every per-connection and per-user command budget (posts,
    /// typing, calls...) by this. A public server keeps the default, 1.
    #[arg(long, env = "HEARTH_COMMAND_BUDGET_SCALE", default_value_t = 1.0, value_parser = parse_scale)]
    pub command_budget_scale: f64,

    /// Serve HTTPS even on a loopback address.
    #[arg(long, env = "HEARTH_FORCE_TLS")]
    pub force_tls: bool,
}

/// A budget scale: a finite number from 1 to 1,000,000.
fn parse_scale(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (1.0..=1_000_000.0).contains(&v) => Ok(v),
        _ => Err("a number from 1 to 1000000".into()),
    }
}

/// Accepts a public URL only if it has a usable origin (see `origin_of_url`).
fn parse_public_url(url: &str) -> Result<String, String> {
    crate::routes::origin::origin_of_url(url)?;
    Ok(url.trim().trim_end_matches('/').to_owned())
}

/// `--sfu`: when room calls go through the media relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SfuArg {
    /// Never.
    Off,
    /// Past `--mesh-max`.
    Auto,
    /// From the start.
    Always,
}

impl Config {
    /// How big a room call may grow, and when it goes through the SFU.
    pub fn room_calls(&self) -> RoomLimits {
        RoomLimits {
            mesh_max: self.mesh_max as usize,
            sfu: match self.sfu {
                SfuArg::Off => SfuUse::Off,
                SfuArg::Auto => SfuUse::Auto,
                SfuArg::Always => SfuUse::Always,
            },
            sfu_max: self.call_max as usize,
            max_viewers: self.max_viewers as usize,
        }
    }

    /// Where the SFU binds its media port and the address it announces: `--public-ip`, else
    /// the listening address when that is a specific one; none when neither is known.
    pub fn media(&self) -> Option<(SocketAddr, std::net::IpAddr)> {
        let ip = self.addr.ip();
        let announced = self.public_ip.or((!ip.is_unspecified()).then_some(ip))?;
        Some((SocketAddr::new(ip, self.media_port), announced))
    }

    /// The origin of `--public-url`, if given.
    pub fn public_origin(&self) -> Option<String> {
        let url = self.public_url.as_deref()?;
        crate::routes::origin::origin_of_url(url).ok()
    }

    /// The TURN relays to hand out, with their secret (`HEARTH_TURN_SECRET`, or the file).
    /// The coturn of `--coturn` is added by `main`.
    pub fn turn(&self) -> Result<Option<crate::turn::Turn>, String> {
        use crate::turn::{credentials::RelayUrl, Secret, Turn};
        if self.turn_urls.is_empty() {
            return Ok(None);
        }
        let secret =
            match (&self.turn_secret_file, std::env::var("HEARTH_TURN_SECRET")) {
                (Some(path), _) => std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
                (None, Ok(s)) => s,
                (None, Err(_)) => return Err(
                    "--turn-url needs the relay's secret: --turn-secret-file or HEARTH_TURN_SECRET"
                        .into(),
                ),
            };
        Ok(Some(Turn {
            urls: self
                .turn_urls
                .iter()
                .cloned()
                .map(RelayUrl::Fixed)
                .collect(),
            secret: Secret::new(&secret)?,
            ttl: std::time::Duration::from_secs(self.turn_ttl),
        }))
    }

    /// Whether this configuration serves HTTPS.
    pub fn uses_tls(&self) -> bool {
        self.force_tls || self.tls_cert.is_some() || !self.addr.ip().is_loopback()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Config {
        Config::try_parse_from(std::iter::once("hearth").chain(args.iter().copied()))
            .expect("parses")
    }

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(!parse(&["--addr", "127.0.0.1:8080"]).uses_tls());
        assert!(!parse(&["--addr", "[::1]:8080"]).uses_tls());
        assert!(parse(&["--addr", "0.0.0.0:8443"]).uses_tls());
        assert!(parse(&["--addr", "192.168.1.5:8443"]).uses_tls());
        assert!(parse(&["--addr", "127.0.0.1:8443", "--force-tls"]).uses_tls());
    }

    #[test]
    fn the_media_port_is_announced_at_the_public_ip_or_a_specific_listening_address() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("an ip");
        let at = |s: &str| s.parse::<SocketAddr>().expect("an address");
        let media = |args: &[&str]| parse(args).media();
        assert_eq!(media(&[]), Some((at("127.0.0.1:10000"), ip("127.0.0.1"))));
        assert_eq!(
            media(&["--addr", "192.168.1.5:8443", "--media-port", "0"]),
            Some((at("192.168.1.5:0"), ip("192.168.1.5")))
        );
        assert_eq!(media(&["--addr", "0.0.0.0:8443"]), None, "which address?");
        assert_eq!(
            media(&["--addr", "0.0.0.0:8443", "--public-ip", "203.0.113.9"]),
            Some((at("0.0.0.0:10000"), ip("203.0.113.9")))
        );
    }

    #[test]
    fn public_url_is_checked_and_gives_the_origin() {
        let c = parse(&["--public-url", "https://Chat.Example.com:443/"]);
        assert_eq!(
            c.public_origin().as_deref(),
            Some("https://chat.example.com")
        );
        assert!(Config::try_parse_from(["hearth", "--public-url", "chat.example.com"]).is_err());
        assert!(
            Config::try_parse_from(["hearth", "--public-url", "https://x.org/hearth"]).is_err()
        );
    }

    #[test]
    fn turn_needs_a_secret_and_valid_urls() {
        assert!(Config::try_parse_from(["hearth", "--turn-url", "stun:x"]).is_err());
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("secret");
        std::fs::write(&file, "north-wind\n").expect("write");
        let c = parse(&[
            "--turn-url",
            "turn:relay.example:3478?transport=udp",
            "--turn-url",
            "turns:relay.example:5349",
            "--turn-secret-file",
            file.to_str().expect("utf-8"),
        ]);
        let turn = c.turn().expect("valid").expect("configured");
        assert_eq!(turn.urls.len(), 2);
        assert_eq!(turn.secret.expose(), "north-wind");
        assert_eq!(turn.ttl.as_secs(), 3600);
        assert!(parse(&[]).turn().expect("valid").is_none());
    }

    #[test]
    fn command_budget_scale_is_one_unless_raised_and_never_lowered() {
        assert!((parse(&[]).command_budget_scale - 1.0).abs() < f64::EPSILON);
        let c = parse(&["--command-budget-scale", "500"]);
        assert!((c.command_budget_scale - 500.0).abs() < f64::EPSILON);
        for bad in ["0.5", "0", "-3", "NaN", "inf", "lots"] {
            let r = Config::try_parse_from(["hearth", "--command-budget-scale", bad]);
            assert!(r.is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn cert_and_key_go_together() {
        let only_cert = Config::try_parse_from(["hearth", "--tls-cert", "c.pem"]);
        assert!(only_cert.is_err());
    }
}
