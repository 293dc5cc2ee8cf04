//! The `hearth` binary: parse options, start tracing, open the database, bind, serve.

use std::net::IpAddr;

use clap::Parser;
use hearth_server::assets::Assets;
use hearth_server::config::Config;
use hearth_server::store::Store;
use hearth_server::{lan, run, tls, AppState, Settings};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    if let Err(e) = start(config).await {
        eprintln!("hearth: {e}");
        std::process::exit(1);
    }
}

fn host_names(ip: IpAddr) -> Vec<String> {
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    if !ip.is_unspecified() {
        names.push(ip.to_string());
    }
    if let Ok(h) = std::fs::read_to_string("/etc/hostname") {
        let h = h.trim();
        if !h.is_empty() {
            names.push(h.to_owned());
            names.push(format!("{h}.local"));
        }
    }
    names
}

async fn start(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        format!(
            "cannot create data folder {}: {e}",
            config.data_dir.display()
        )
    })?;
    let db = config.data_dir.join("hearth.db");
    let store = Store::open(&db).map_err(|e| format!("cannot open {}: {e}", db.display()))?;
    let assets = Assets::load(&config.static_dir)?;
    if assets.is_empty() {
        tracing::warn!(
            "no web app in {}; build it with ./scripts/run.sh",
            config.static_dir.display()
        );
    }
    let use_tls = config.uses_tls();
    let tls = if use_tls {
        let names = host_names(config.addr.ip());
        Some(tls::load(
            config.tls_cert.as_deref(),
            config.tls_key.as_deref(),
            &config.data_dir,
            names,
        )?)
    } else {
        None
    };
    let ice_servers = config
        .stun
        .iter()
        .map(|url| hearth_shared::call::IceServer {
            urls: vec![url.clone()],
            username: None,
            credential: None,
        })
        .collect();
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    // After the bind: a relay started for a server that cannot listen would be orphaned.
    let (turn, coturn) = hearth_server::turn::from_config(&config)?;
    let (max_connections, max_connections_per_ip) = connection_caps(&config);
    let settings = Settings {
        max_connections,
        max_connections_per_ip,
        allowed_origins: config.allowed_origins.clone(),
        tls: use_tls,
        public_origin: config.public_origin(),
        ice_servers,
        ring_timeout: std::time::Duration::from_secs(config.ring_timeout),
        turn,
        signups_per_ip_per_hour: config.signups_per_hour as usize,
        room_max_members: config.room_max_members as usize,
        room_calls: config.room_calls(),
        media: config.media(),
        command_budget_scale: config.command_budget_scale,
        ..Settings::default()
    };
    let local = listener.local_addr()?;
    let scheme = if use_tls { "https" } else { "http" };
    let shown = if local.ip().is_unspecified() {
        format!("localhost:{}", local.port())
    } else {
        local.to_string()
    };
    match &config.public_url {
        Some(url) => println!("Hearth is running: open {url}/ (listening on {local})"),
        None => println!("Hearth is running: open {scheme}://{shown}/"),
    }
    if use_tls && !local.ip().is_loopback() && config.public_url.is_none() {
        print!("{}", lan::banner(&lan::urls(local, &lan::interface_ips())));
    }
    if let Some(t) = &tls {
        println!("TLS certificate SHA-256 fingerprint: {}", t.fingerprint);
    }
    println!("Data: {}", db.display());
    let state = AppState::new(store, settings, assets);
    run(listener, state, tls.map(|t| t.acceptor), shutdown_signal()).await;
    if let Some(c) = coturn {
        c.stop().await;
    }
    println!("Hearth stopped.");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return ctrl_c.await.unwrap_or(()),
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// The connection caps: `--max-connections` (or all the open-file limit allows, raised to
/// its hard limit first) and `--max-connections-per-ip`.
fn connection_caps(config: &Config) -> (usize, usize) {
    let fits = hearth_server::fdlimit::connection_cap(hearth_server::fdlimit::raise());
    let total = match config.max_connections {
        Some(asked) if asked as usize > fits => {
            tracing::warn!(
                "--max-connections {asked} does not fit the open-file limit; using {fits}"
            );
            fits
        }
        Some(asked) => asked as usize,
        None => fits,
    };
    (total, config.max_connections_per_ip as usize)
}
