//! `--coturn`: Hearth runs coturn's `turnserver` as a child process, with a secret made once
//! and kept in the data folder and a hardened configuration written next to it on each
//! start. It restarts the relay when it dies, stops it on shutdown, and logs what it says
//! (with the secret masked, should it ever appear).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::watch;

use super::Secret;

mod config;

use config::write_private;
pub use config::{config, secret_in, Options, DENIED_PEERS};

/// A running relay, restarted when it dies, until [`Coturn::stop`].
pub struct Coturn {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Coturn {
    /// Writes the configuration into `dir` and starts `turnserver` on it.
    pub fn start(dir: &Path, opts: &Options, secret: Secret) -> Result<Coturn, String> {
        let program = which("turnserver").ok_or(
            "--coturn needs coturn's `turnserver` (Debian: apt-get install coturn; \
             ./scripts/run.sh installs it when given --coturn)",
        )?;
        let conf = dir.join("coturn.conf");
        write_private(&conf, &config(opts, &secret, &dir.join("coturn.pid")))?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(supervise(program, conf, secret, stopped));
        Ok(Coturn { stop, task })
    }

    /// Stops the relay and waits for it to exit.
    pub async fn stop(self) {
        self.stop.send_replace(true);
        let _ = self.task.await;
    }
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// Runs the relay; restarts it after a pause that grows while it keeps dying quickly.
async fn supervise(
    program: PathBuf,
    conf: PathBuf,
    secret: Secret,
    mut stop: watch::Receiver<bool>,
) {
    let mut pause = Duration::from_secs(1);
    loop {
        let started = Instant::now();
        match spawn(&program, &conf, &secret) {
            Ok(mut child) => {
                tracing::info!("coturn started (pid {})", child.id().unwrap_or(0));
                tokio::select! {
                    status = child.wait() => {
                        tracing::warn!("coturn exited ({}); restarting", describe(status));
                    }
                    _ = stopped(&mut stop) => {
                        let _ = child.kill().await;
                        tracing::info!("coturn stopped");
                        return;
                    }
                }
            }
            Err(e) => tracing::error!("cannot start coturn: {e}"),
        }
        if started.elapsed() > Duration::from_secs(60) {
            pause = Duration::from_secs(1);
        }
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = stopped(&mut stop) => return,
        }
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}

/// Resolves once the stop flag is set (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

fn describe(status: std::io::Result<std::process::ExitStatus>) -> String {
    match status {
        Ok(s) => s.to_string(),
        Err(e) => e.to_string(),
    }
}

fn spawn(program: &Path, conf: &Path, secret: &Secret) -> std::io::Result<Child> {
    // setpriv (util-linux) makes the kernel kill the relay if Hearth dies without stopping
    // it (a crash, SIGKILL), so no orphan keeps the port.
    let mut cmd = match which("setpriv") {
        Some(setpriv) => {
            let mut c = Command::new(setpriv);
            c.args(["--pdeathsig", "SIGKILL", "--"]).arg(program);
            c
        }
        None => Command::new(program),
    };
    let mut child = cmd
        .arg("-c")
        .arg(conf)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    if let Some(out) = child.stdout.take() {
        tokio::spawn(relay_log(out, secret.clone()));
    }
    if let Some(err) = child.stderr.take() {
        tokio::spawn(relay_log(err, secret.clone()));
    }
    Ok(child)
}

/// Passes coturn's lines to Hearth's log, the secret masked: its warnings and errors (a
/// refused credential, say) as warnings, its chatter (a 60-line banner) at debug level.
async fn relay_log(from: impl tokio::io::AsyncRead + Unpin, secret: Secret) {
    let mut lines = BufReader::new(from).lines();
    while let Ok(Some(l)) = lines.next_line().await {
        let l = mask(&l, &secret);
        let lower = l.to_ascii_lowercase();
        if ["error", "warning", "cannot", "fail"]
            .iter()
            .any(|w| lower.contains(w))
        {
            tracing::warn!(target: "coturn", "{l}");
        } else {
            tracing::debug!(target: "coturn", "{l}");
        }
    }
}

/// `line` with every occurrence of the secret replaced.
pub fn mask(line: &str, secret: &Secret) -> String {
    line.replace(secret.expose(), "[secret]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_masked_in_what_coturn_says() {
        let secret = Secret::new("0123abcd").expect("secret");
        assert_eq!(
            mask("static-auth-secret=0123abcd", &secret),
            "static-auth-secret=[secret]"
        );
    }
}
