//! The real `hearth` binary as a child process on a free loopback port. Shared by the restart
//! test and the idle-connections benchmark (included there with `#[path]`).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running `hearth`; killed (SIGKILL) when dropped.
pub struct HearthProcess {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl HearthProcess {
    /// Starts `binary` with its data in `data` and waits for the URL it prints.
    pub fn start(binary: &str, data: &Path) -> HearthProcess {
        HearthProcess::start_with(binary, data, &[])
    }

    /// The same, with `extra` flags.
    pub fn start_with(binary: &str, data: &Path, extra: &[&str]) -> HearthProcess {
        HearthProcess::start_under(&[], binary, data, extra)
    }

    /// The same, run through `wrapper` (a command that execs the rest, like `prlimit ...`).
    pub fn start_under(
        wrapper: &[&str],
        binary: &str,
        data: &Path,
        extra: &[&str],
    ) -> HearthProcess {
        let (program, before) = match wrapper.split_first() {
            Some((first, rest)) => (*first, [rest, &[binary]].concat()),
            None => (binary, Vec::new()),
        };
        let mut child = Command::new(program)
            .args(before)
            .args(["--addr", "127.0.0.1:0", "--media-port", "0", "--data-dir"])
            .arg(data)
            .arg("--static-dir")
            .arg(data.join("no-web-app"))
            .args(extra)
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start hearth");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let url = loop {
            let mut line = String::new();
            let n = out.read_line(&mut line).expect("a line");
            assert!(n > 0, "hearth exited before printing its URL");
            if let Some(url) = line.split("open http://").nth(1) {
                break url.to_owned();
            }
        };
        // Keep reading so later prints never hit a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let addr = url.trim().trim_end_matches('/').parse().expect("address");
        HearthProcess { child, addr }
    }

    /// Asks it to stop (SIGTERM) and waits until it has.
    pub fn terminate(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for HearthProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
