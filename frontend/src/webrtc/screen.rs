//! Capturing a screen, window or tab with getDisplayMedia, with its audio when the browser
//! offers it.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MediaDevices, MediaStream};

use super::js;

/// `{"max": n}`.
#[derive(serde::Serialize)]
struct Max {
    max: u32,
}

/// The video part of `DisplayMediaStreamOptions`: the native size, scaled down to fit 1080p.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ScreenVideo {
    width: Max,
    height: Max,
    frame_rate: Max,
}

#[derive(serde::Serialize)]
struct ScreenWant {
    video: ScreenVideo,
    audio: bool,
}

fn media_devices() -> Option<MediaDevices> {
    web_sys::window()?.navigator().media_devices().ok()
}

/// Whether this browser can share a screen (phones cannot).
pub fn supported() -> bool {
    media_devices().is_some_and(|md| {
        Reflect::get(&md, &"getDisplayMedia".into()).is_ok_and(|f| f.is_function())
    })
}

/// Asks the user for a screen, window or tab. `Ok(None)`: they chose nothing.
pub async fn open() -> Result<Option<MediaStream>, String> {
    let md = media_devices().ok_or("Screen sharing is not available in this browser.")?;
    let want = js::to_js(&ScreenWant {
        video: ScreenVideo {
            width: Max { max: 1920 },
            height: Max { max: 1080 },
            frame_rate: Max { max: 30 },
        },
        audio: true,
    })?;
    let started = js::start1(&md, "getDisplayMedia", &want)?;
    match wasm_bindgen_futures::JsFuture::from(started).await {
        Ok(s) => {
            let stream: MediaStream = s.dyn_into().map_err(|_| "not a stream".to_owned())?;
            // Text stays sharp: the encoder lowers the frame rate before the resolution.
            for t in super::media::tracks_of(&stream, "video") {
                let _ = Reflect::set(&t, &"contentHint".into(), &JsValue::from_str("detail"));
            }
            Ok(Some(stream))
        }
        Err(e) if js::error_name(&e) == "NotAllowedError" => Ok(None),
        Err(e) => Err(format!(
            "The screen could not be shared ({}).",
            js::describe(e)
        )),
    }
}
