//! Camera and microphone: asking for them, degrading when one is missing or refused, and
//! releasing them (every track stopped, so the camera light goes off).

use wasm_bindgen::JsCast;
use web_sys::{MediaStream, MediaStreamConstraints, MediaStreamTrack};

use super::js;
use hearth_shared::call::CallKind;

/// Audio processing the user can turn off in settings (all on by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MediaPrefs {
    /// Echo cancellation.
    pub echo_cancellation: bool,
    /// Noise suppression.
    pub noise_suppression: bool,
    /// Automatic gain control.
    pub auto_gain: bool,
}

impl Default for MediaPrefs {
    fn default() -> Self {
        MediaPrefs {
            echo_cancellation: true,
            noise_suppression: true,
            auto_gain: true,
        }
    }
}

/// What could be opened, and a sentence for the user when it is less than asked for.
pub struct Opened {
    /// The stream (None: neither microphone nor camera; the call goes on receive-only).
    pub stream: Option<MediaStream>,
    /// Why something is missing, in words a person understands.
    pub warning: Option<String>,
}

/// `{"exact": id}`.
#[derive(serde::Serialize)]
struct Exact<'a> {
    exact: &'a str,
}

/// The audio part of `MediaStreamConstraints`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct AudioWant<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    device_id: Option<Exact<'a>>,
    echo_cancellation: bool,
    noise_suppression: bool,
    auto_gain_control: bool,
}

/// The video part: a device, or a preferred size.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct VideoWant<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    device_id: Option<Exact<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<Ideal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<Ideal>,
}

#[derive(serde::Serialize)]
struct Ideal {
    ideal: u32,
}

/// `MediaStreamConstraints`; `None` serializes as `false` (not wanted).
#[derive(serde::Serialize)]
struct Constraints<'a> {
    #[serde(serialize_with = "or_false")]
    audio: Option<AudioWant<'a>>,
    #[serde(serialize_with = "or_false")]
    video: Option<VideoWant<'a>>,
}

fn or_false<T: serde::Serialize, S: serde::Serializer>(
    v: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => v.serialize(s),
        None => s.serialize_bool(false),
    }
}

fn audio_want(prefs: MediaPrefs, device: Option<&str>) -> AudioWant<'_> {
    AudioWant {
        device_id: device.map(|exact| Exact { exact }),
        echo_cancellation: prefs.echo_cancellation,
        noise_suppression: prefs.noise_suppression,
        auto_gain_control: prefs.auto_gain,
    }
}

/// Calls getUserMedia now; the error is the DOMException's name.
fn request(c: &Constraints<'_>) -> Result<js_sys::Promise, String> {
    let constraints: MediaStreamConstraints = js::to_js(c)?.unchecked_into();
    let devices = web_sys::window()
        .ok_or("no window")?
        .navigator()
        .media_devices()
        .map_err(|_| "NotSupportedError".to_owned())?;
    devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|e| js::error_name(&e))
}

/// The stream a getUserMedia request gives.
async fn granted(request: Result<js_sys::Promise, String>) -> Result<MediaStream, String> {
    match wasm_bindgen_futures::JsFuture::from(request?).await {
        Ok(s) => s
            .dyn_into::<MediaStream>()
            .map_err(|_| "not a stream".to_owned()),
        Err(e) => Err(js::error_name(&e)),
    }
}

/// Asks for the microphone and (or) the camera now.
fn ask_now(audio: bool, video: bool, prefs: MediaPrefs) -> Result<js_sys::Promise, String> {
    let video = video.then_some(VideoWant {
        device_id: None,
        width: Some(Ideal { ideal: 1280 }),
        height: Some(Ideal { ideal: 720 }),
    });
    request(&Constraints {
        audio: audio.then(|| audio_want(prefs, None)),
        video,
    })
}

async fn ask(audio: bool, video: bool, prefs: MediaPrefs) -> Result<MediaStream, String> {
    granted(ask_now(audio, video, prefs)).await
}

fn explain(error: &str) -> &'static str {
    match error {
        "NotAllowedError" | "SecurityError" => {
            "Camera and microphone are blocked for this site. Allow them in the browser's site settings."
        }
        "NotFoundError" | "OverconstrainedError" => "No camera or microphone was found.",
        "NotReadableError" | "AbortError" => "The camera or microphone is in use by another program.",
        _ => "Camera and microphone could not be opened.",
    }
}

/// Opens the microphone (and the camera for video), falling back to what is available. The
/// devices are asked for at once, before the returned future is first polled, so opening
/// them overlaps whatever the caller does next.
pub fn open(kind: CallKind, prefs: MediaPrefs) -> impl std::future::Future<Output = Opened> {
    let video = kind == CallKind::Video;
    let first = ask_now(true, video, prefs);
    open_from(first, video, prefs)
}

async fn open_from(
    first: Result<js_sys::Promise, String>,
    video: bool,
    prefs: MediaPrefs,
) -> Opened {
    match granted(first).await {
        Ok(stream) => {
            return Opened {
                stream: Some(stream),
                warning: None,
            }
        }
        Err(e) if !video => {
            return Opened {
                stream: None,
                warning: Some(format!("{} You can still listen.", explain(&e))),
            };
        }
        Err(_) => {}
    }
    if let Ok(stream) = ask(true, false, prefs).await {
        return Opened {
            stream: Some(stream),
            warning: Some("No camera available: your friend will hear you but not see you.".into()),
        };
    }
    match ask(false, true, prefs).await {
        Ok(stream) => Opened {
            stream: Some(stream),
            warning: Some(
                "No microphone available: your friend will see you but not hear you.".into(),
            ),
        },
        Err(e) => Opened {
            stream: None,
            warning: Some(format!(
                "{} You can still see and hear your friend.",
                explain(&e)
            )),
        },
    }
}

/// Opens just the camera (turning a voice call into a video call).
pub async fn open_camera() -> Result<MediaStreamTrack, String> {
    first_track(ask(false, true, MediaPrefs::default()).await)
}

/// The one track a single-device request gave, or why there is none, for people.
fn first_track(granted: Result<MediaStream, String>) -> Result<MediaStreamTrack, String> {
    let stream = granted.map_err(|e| explain(&e).to_owned())?;
    tracks(&stream)
        .into_iter()
        .next()
        .ok_or_else(|| "the device gave no track".to_owned())
}

/// Another handle to the same stream. Beware `stream.clone()`: web-sys's inherent
/// `MediaStream::clone` is the JavaScript `clone()`, which makes a new stream of new tracks
/// (tracks that mute and stop separately, and keep the device open). `Option::clone` and
/// derived `Clone` use the trait and are safe.
pub fn handle(stream: &MediaStream) -> MediaStream {
    Clone::clone(stream)
}

/// Every track of a stream.
pub fn tracks(stream: &MediaStream) -> Vec<MediaStreamTrack> {
    stream
        .get_tracks()
        .iter()
        .filter_map(|t| t.dyn_into().ok())
        .collect()
}

/// The tracks of one kind (`audio` or `video`).
pub fn tracks_of(stream: &MediaStream, kind: &str) -> Vec<MediaStreamTrack> {
    tracks(stream)
        .into_iter()
        .filter(|t| t.kind() == kind)
        .collect()
}

/// Enables or disables every track of one kind.
pub fn set_enabled(stream: &MediaStream, kind: &str, on: bool) {
    for t in tracks_of(stream, kind) {
        t.set_enabled(on);
    }
}

/// Stops every track: the devices are released.
pub fn stop(stream: &MediaStream) {
    for t in tracks(stream) {
        t.stop();
    }
}

/// The id of the device `stream`'s track of `kind` (`audio` or `video`) comes from.
pub fn device_in_use(stream: &MediaStream, kind: &str) -> Option<String> {
    let track = tracks_of(stream, kind).into_iter().next()?;
    let settings = js_sys::Reflect::get(&track.get_settings(), &"deviceId".into()).ok()?;
    settings.as_string()
}

/// Puts `track` in `stream` in place of its tracks of the same kind, which are stopped. It
/// starts muted (or with the camera off) if they were.
pub fn swap_track(stream: &MediaStream, track: &MediaStreamTrack) {
    let old = tracks_of(stream, &track.kind());
    track.set_enabled(old.iter().all(MediaStreamTrack::enabled));
    for t in old {
        stream.remove_track(&t);
        t.stop();
    }
    stream.add_track(track);
}

/// A microphone or camera the browser offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// `deviceId`.
    pub id: String,
    /// What to show (the browser's label, or a made-up one when it gives none).
    pub label: String,
    /// `audioinput` or `videoinput`.
    pub kind: String,
}

/// The microphones and cameras.
pub async fn devices() -> Vec<Device> {
    let Some(md) = web_sys::window().and_then(|w| w.navigator().media_devices().ok()) else {
        return Vec::new();
    };
    let Ok(promise) = md.enumerate_devices() else {
        return Vec::new();
    };
    let Ok(list) = js::wait(promise).await else {
        return Vec::new();
    };
    let list: js_sys::Array = list.unchecked_into();
    let mut out = Vec::new();
    for (i, d) in list
        .iter()
        .filter_map(|d| d.dyn_into::<web_sys::MediaDeviceInfo>().ok())
        .enumerate()
    {
        let kind = match d.kind() {
            web_sys::MediaDeviceKind::Audioinput => "audioinput",
            web_sys::MediaDeviceKind::Videoinput => "videoinput",
            _ => continue,
        };
        let label = if d.label().is_empty() {
            format!("Device {}", i + 1)
        } else {
            d.label()
        };
        out.push(Device {
            id: d.device_id(),
            label,
            kind: kind.to_owned(),
        });
    }
    out
}

/// Opens one device (`audio` or `video`) by id, with the audio processing settings.
pub async fn open_device(
    kind: &str,
    id: &str,
    prefs: MediaPrefs,
) -> Result<MediaStreamTrack, String> {
    let constraints = if kind == "audio" {
        Constraints {
            audio: Some(audio_want(prefs, Some(id))),
            video: None,
        }
    } else {
        Constraints {
            audio: None,
            video: Some(VideoWant {
                device_id: Some(Exact { exact: id }),
                width: None,
                height: None,
            }),
        }
    };
    first_track(granted(request(&constraints)).await)
}
