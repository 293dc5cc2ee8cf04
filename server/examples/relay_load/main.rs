//! Benchmark: Hearth's chat relay against the socket.io 4 seed's, in one run.
//!
//! Both servers run pinned to one core (`--server-core`) once their users are connected, this
//! generator on another (start it under `taskset`; `bench/relay.sh` does). Each relay gets the
//! same load: `--users` connected users, of whom `--pairs` pairs of friends chat (the others stay idle, connected
//! and kept alive), at an offered rate that climbs a ladder, open loop: message `i` of a step
//! is due at `t0 + i / rate` whether or not earlier ones got through, and its latency runs
//! from when it was due to when the friend receives it (a late send counts against the relay).
//! The relays alternate step by step. Per step: p50 / p99 / max, messages missing after a
//! drain, the server's CPU and RSS, and this generator's own CPU and send lag, so that a step
//! it could not drive is marked and not blamed on the server. A relay leaves the ladder once
//! it cannot keep up (messages still missing after the drain, or p99 over a second).
//!
//! Usage: relay_load --hearth <bin> --baseline <server.mjs> [--users 1000] [--pairs 100]
//!        [--seconds 5] [--rates 1000,2000,...] [--server-core 0] [--warmup 3]
//!
//! Before the ladder each relay runs `--warmup` seconds at the first rate, printed but not
//! counted: right after the sign-ups Hearth still checkpoints their log and warms its cache,
//! and socket.io's V8 still compiles its hot paths, neither of which a running server pays.

mod book;
mod conns;
mod fleet;
#[path = "../../tests/common/process.rs"]
mod process;
mod procstat;
mod wire;

use std::time::Duration;

use fleet::{Fleet, Step};
use wire::Relay;

/// A step's p99 must stay under this for the rate to count as "held".
const GOAL_P99_MS: f64 = 20.0;
/// Past this p99 (or with messages missing) the relay is saturated: its backlog grows.
const SATURATED_P99_MS: f64 = 1000.0;

struct Args {
    hearth: String,
    baseline: String,
    users: usize,
    pairs: usize,
    seconds: u32,
    rates: Vec<u32>,
    server_core: String,
    warmup: u32,
}

fn args() -> Args {
    let mut a = Args {
        hearth: "target/release/hearth".into(),
        baseline: "bench/relay/server.mjs".into(),
        users: 1000,
        pairs: 100,
        seconds: 5,
        rates: vec![
            1000, 2000, 5000, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000, 50_000,
        ],
        server_core: "0".into(),
        warmup: 3,
    };
    let mut it = std::env::args().skip(1);
    while let (Some(flag), Some(v)) = (it.next(), it.next()) {
        match flag.as_str() {
            "--hearth" => a.hearth = v,
            "--baseline" => a.baseline = v,
            "--users" => a.users = v.parse().expect("--users"),
            "--pairs" => a.pairs = v.parse().expect("--pairs"),
            "--seconds" => a.seconds = v.parse().expect("--seconds"),
            "--rates" => a.rates = v.split(',').map(|r| r.parse().expect("rate")).collect(),
            "--server-core" => a.server_core = v,
            "--warmup" => a.warmup = v.parse().expect("--warmup"),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(a.users >= 2 * a.pairs, "--users must cover the pairs");
    assert!(!a.rates.is_empty(), "--rates needs at least one rate");
    a
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let a = args();
    let data = tempfile::tempdir_in(".").expect("a data folder on disk, not tmpfs");
    let mut fleets = [
        Fleet::hearth(&a.hearth, data.path(), &a.server_core, a.users, a.pairs).await,
        Fleet::socketio(&a.baseline, &a.server_core, a.users, a.pairs).await,
    ];
    println!(
        "{} users connected to each relay, {} pairs chatting, {} s per step, servers on core {}",
        a.users, a.pairs, a.seconds, a.server_core
    );
    println!("{}", Step::HEADER);
    let mut results: Vec<(Relay, Step)> = Vec::new();
    let mut next_id = 0u64;
    if a.warmup > 0 {
        let rate = a.rates[0];
        for fleet in &mut fleets {
            let step = fleet.step(next_id, rate, a.warmup).await;
            next_id += u64::from(rate) * u64::from(a.warmup);
            println!("{} (warm-up, not counted)", step.row(fleet.relay));
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    for &rate in &a.rates {
        for fleet in fleets.iter_mut().filter(|f| !f.saturated) {
            let step = fleet.step(next_id, rate, a.seconds).await;
            next_id += u64::from(rate) * u64::from(a.seconds);
            println!("{}", step.row(fleet.relay));
            fleet.saturated = step.lost > 0 || step.p99 > SATURATED_P99_MS;
            results.push((fleet.relay, step));
            // Let the relay settle (a backlog drain, a checkpoint) before the other one runs.
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    summarize(&results);
    for fleet in fleets {
        fleet.stop();
    }
}

/// The highest offered rate each relay held with p99 under the goal, where it saturated,
/// and the ratio.
fn summarize(results: &[(Relay, Step)]) {
    let best = |relay: Relay, ok: &dyn Fn(&Step) -> bool| {
        results
            .iter()
            .filter(|(r, s)| *r == relay && ok(s))
            .map(|(_, s)| s.rate)
            .max()
            .unwrap_or(0)
    };
    let fair = |s: &Step| !s.generator_bound();
    let held = |s: &Step| fair(s) && s.lost == 0 && s.p99 < GOAL_P99_MS;
    let kept_up = |s: &Step| s.lost == 0 && s.p99 < SATURATED_P99_MS;
    let first_failed = |relay: Relay| {
        results
            .iter()
            .find(|(r, s)| *r == relay && !kept_up(s))
            .map_or("not reached".to_owned(), |(_, s)| {
                format!("{} msg/s", s.rate)
            })
    };
    println!();
    let mut held_rates = Vec::new();
    for relay in [Relay::Hearth, Relay::SocketIo] {
        let h = best(relay, &held);
        held_rates.push(h);
        let bound = results
            .iter()
            .any(|(r, s)| *r == relay && s.generator_bound());
        println!(
            "{:<10} held p99 < {GOAL_P99_MS} ms up to {h} msg/s; kept up to {} msg/s; saturated at {}{}",
            relay.name(),
            best(relay, &kept_up),
            first_failed(relay),
            if bound { " (some steps were limited by the generator: marked *)" } else { "" }
        );
    }
    if held_rates[1] > 0 {
        println!(
            "ratio hearth / socket.io (held p99 < {GOAL_P99_MS} ms): {:.2}",
            f64::from(held_rates[0]) / f64::from(held_rates[1])
        );
    }
}
