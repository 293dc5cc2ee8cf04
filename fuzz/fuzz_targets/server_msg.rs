//! The browser's lean decoder of server frames (`ServerMsg::from_json`): any bytes, no
//! panic, no input slower than 100 ms.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let started = std::time::Instant::now();
    let _ = hearth_shared::ServerMsg::from_json(text);
    let took = started.elapsed();
    assert!(took.as_millis() < 100, "{} bytes took {took:?}", data.len());
});
