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

/// The video part of `DisplayMediaStreamOptions`: the native size, scaled down to fit.
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

/// How a screen is captured.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum For {
    /// A direct call: up to 1920x1080 at 30 frames a second, with the screen's sound.
    Friend,
    /// A room call, where each participant encodes it once per other participant: up to
    /// 1280x720 at 15, with the screen's sound.
    Room,
}

/// Asks the user for a screen, window or tab. `Ok(None)`: they chose nothing.
pub async fn open(target: For) -> Result<Option<MediaStream>, String> {
    let md = media_devices().ok_or("Screen sharing is not available in this browser.")?;
    let (width, height, fps) = match target {
        For::Friend => (1920, 1080, 30),
        For::Room => (1280, 720, 15),
    };
    let want = js::to_js(&ScreenWant {
        video: ScreenVideo {
            width: Max { max: width },
            height: Max { max: height },
            frame_rate: Max { max: fps },
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
