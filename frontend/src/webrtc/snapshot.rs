//! Screenshots: one frame of a stream's picture at its native resolution, as a PNG.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream};

use super::js;

/// A picture taken from a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shot {
    /// `data:image/png;base64,...`, for the thumbnail and the download.
    pub url: String,
    /// The file name to save it under.
    pub name: String,
    /// Native width in pixels.
    pub width: u32,
    /// Native height in pixels.
    pub height: u32,
}

/// Takes the current frame of `stream`'s picture, named `hearth-<who>-<local time>.png`.
pub async fn take(stream: &MediaStream, who: &str) -> Result<Shot, String> {
    // A detached, muted player of the same stream: the frame comes at full size, whatever
    // size the picture is shown at.
    let video: HtmlVideoElement = js::element("video")?;
    video.set_muted(true);
    video.set_src_object(Some(stream));
    js::wait(video.play().map_err(js::describe)?).await?;
    let (width, height) = (video.video_width(), video.video_height());
    if width == 0 || height == 0 {
        return Err("There is no picture to take yet.".into());
    }
    let canvas: HtmlCanvasElement = js::element("canvas")?;
    canvas.set_width(width);
    canvas.set_height(height);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js::describe)?
        .ok_or("no 2d canvas")?
        .dyn_into()
        .map_err(|_| "no 2d canvas")?;
    ctx.draw_image_with_html_video_element(&video, 0.0, 0.0)
        .map_err(js::describe)?;
    video.set_src_object(None);
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(js::describe)?;
    Ok(Shot {
        url,
        name: format!("hearth-{who}-{}.png", stamp()),
        width,
        height,
    })
}

/// The local time as `yyyy-mm-dd-hhmmss`, for file names.
pub fn stamp() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}-{:02}{:02}{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}
