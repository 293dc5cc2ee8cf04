//! The SFU side of the benchmark (`sfu_load --serve`): Hearth's SFU module alone in a process
//! of its own, so that its CPU and memory are read apart from the generator's. Signaling comes
//! in on stdin and goes out on stdout, one JSON object a line, in place of the WebSocket:
//! in `{"op":"offer"|"watch"|"answer"|"leave","call","user","sdp"}` (`watch`: a broadcast
//! viewer's offer), out first `{"ready":"<addr>"}`,
//! then `{"ev":"answer"|"offer"|"error","call","user","sdp"}` in the order the SFU said them.

use hearth_server::sfu::{Seat, Sfu, SfuEvent, Slots};
use hearth_shared::call::CallId;
use hearth_shared::UserId;
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::sync::mpsc as std_mpsc;
use tokio::sync::mpsc;

/// Runs the SFU on one thread until stdin closes.
pub fn serve() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let (sfu, mut events) = Sfu::start("127.0.0.1:0".parse().expect("an address"), None)
            .await
            .expect("the media port");
        // Plain threads for the pipes (blocking I/O), channels to and from the SFU's task.
        let (out, lines) = std_mpsc::channel::<Value>();
        let _ = out.send(json!({ "ready": sfu.media_addr().to_string() }));
        std::thread::spawn(move || {
            let mut stdout = std::io::stdout().lock();
            for v in lines {
                if writeln!(stdout, "{v}")
                    .and_then(|()| stdout.flush())
                    .is_err()
                {
                    return;
                }
            }
        });
        let (cmds, mut commands) = mpsc::unbounded_channel::<String>();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines().map_while(Result::ok) {
                if cmds.send(line).is_err() {
                    return;
                }
            }
        });
        let relay = out.clone();
        tokio::spawn(async move {
            while let Some(e) = events.recv().await {
                let (ev, to, sdp) = match e {
                    SfuEvent::Answer { to, sdp } => ("answer", to, sdp),
                    SfuEvent::Offer { to, sdp } => ("offer", to, sdp),
                    // The synthetic load carries no audio levels.
                    SfuEvent::Speaker { .. } | SfuEvent::Gone(_) => continue,
                };
                let _ =
                    relay.send(json!({"ev": ev, "call": to.call.0, "user": to.user.0, "sdp": sdp}));
            }
        });
        while let Some(line) = commands.recv().await {
            let Ok(cmd) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            tokio::spawn(command(sfu.clone(), cmd, out.clone()));
        }
    });
}

/// Carries out one command; a refusal goes back as an `error` line.
async fn command(sfu: Sfu, cmd: Value, out: std_mpsc::Sender<Value>) {
    let text = |k: &str| cmd[k].as_str().unwrap_or_default().to_owned();
    let seat = Seat {
        call: CallId(text("call")),
        user: UserId(cmd["user"].as_u64().unwrap_or_default() as u32),
    };
    let done = match text("op").as_str() {
        "offer" => sfu.offer(seat.clone(), text("sdp"), Slots::default()).await,
        "watch" => {
            sfu.offer_to_watch(seat.clone(), text("sdp"), Slots::default())
                .await
        }
        "answer" => sfu.answer(seat.clone(), text("sdp")).await,
        "leave" => {
            sfu.leave(seat);
            return;
        }
        _ => return,
    };
    if let Err(e) = done {
        let _ = out.send(
            json!({"ev": "error", "call": seat.call.0, "user": seat.user.0, "sdp": e.to_string()}),
        );
    }
}
