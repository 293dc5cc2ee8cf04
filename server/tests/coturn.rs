//! `hearth --coturn` supervises a real coturn (Debian's `turnserver`): restarted when it
//! dies, stopped when Hearth stops.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::process::HearthProcess;

/// The relay's process id, once its pid file names a live process other than `not`.
fn relay_pid(data: &Path, not: Option<u32>) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let pid = std::fs::read_to_string(data.join("coturn.pid"))
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok());
        if let Some(pid) = pid.filter(|p| Some(*p) != not && alive(*p)) {
            return pid;
        }
        assert!(Instant::now() < deadline, "no (new) coturn within 15 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether `pid` is a running process (not a zombie).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        !s.split(") ")
            .nth(1)
            .is_some_and(|rest| rest.starts_with('Z'))
    })
}

fn gone_within(pid: u32, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

#[test]
fn coturn_is_restarted_when_it_dies_and_stopped_with_hearth() {
    assert!(
        Path::new("/usr/bin/turnserver").exists(),
        "this test needs coturn: apt-get install coturn (./scripts/test.sh installs it)"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port().to_string();
    let hearth = HearthProcess::start_with(
        env!("CARGO_BIN_EXE_hearth"),
        dir.path(),
        &[
            "--coturn",
            "--coturn-allow-loopback",
            "--coturn-port",
            &port,
        ],
    );
    let first = relay_pid(dir.path(), None);
    let conf = std::fs::read_to_string(dir.path().join("coturn.conf")).expect("config");
    assert!(conf.contains(&format!("listening-port={port}")));
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &first.to_string()])
        .status();
    let second = relay_pid(dir.path(), Some(first));
    assert_ne!(first, second);
    hearth.terminate();
    assert!(
        gone_within(second, Duration::from_secs(5)),
        "coturn stops with hearth"
    );
}
