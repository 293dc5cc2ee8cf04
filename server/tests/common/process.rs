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
        let mut child = Command::new(binary)
            .args(["--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .arg("--static-dir")
            .arg(data.join("no-web-app"))
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start hearth");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("first line");
        // Keep reading so later prints never hit a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let url = line.split("open http://").nth(1).expect("prints the URL");
        let addr = url.trim().trim_end_matches('/').parse().expect("address");
        HearthProcess { child, addr }
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
