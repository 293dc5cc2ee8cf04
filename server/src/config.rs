//! Command-line options (each also read from a `HEARTH_*` environment variable).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

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

    /// Serve HTTPS even on a loopback address.
    #[arg(long, env = "HEARTH_FORCE_TLS")]
    pub force_tls: bool,
}

impl Config {
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
    fn cert_and_key_go_together() {
        let only_cert = Config::try_parse_from(["hearth", "--tls-cert", "c.pem"]);
        assert!(only_cert.is_err());
    }
}
