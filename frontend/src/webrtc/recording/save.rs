//! The recording's chunks as they come: kept as the browser's own blobs (which it may keep
//! on disk), and read once each, in order, by the WebM indexer. At the end, the file is
//! stitched from new header bytes and slices of the chunks. If the indexer cannot read the
//! recording, the chunks are still saved as they are: playable, only not seekable.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Blob, BlobPropertyBag, Url};

use super::webm::{Indexer, Part, WebmError};
use super::Recorded;
use crate::webrtc::js;

/// The chunks so far.
pub struct Saver {
    mime: &'static str,
    chunks: Vec<Blob>,
    bytes: u64,
    index: Indexer,
    broken: Option<WebmError>,
    /// Resolves once every chunk handed over so far is indexed.
    tail: Promise,
}

impl Saver {
    pub fn new(mime: &'static str) -> Saver {
        Saver {
            mime,
            chunks: Vec::new(),
            bytes: 0,
            index: Indexer::default(),
            broken: None,
            tail: Promise::resolve(&JsValue::UNDEFINED),
        }
    }

    /// Takes the next chunk and queues its indexing; returns the size so far.
    pub fn add(this: &Rc<RefCell<Saver>>, blob: Blob) -> u64 {
        let mut s = this.borrow_mut();
        if blob.size() == 0.0 {
            return s.bytes;
        }
        s.bytes += blob.size() as u64;
        s.chunks.push(blob.clone());
        // Chained, so the chunks are read in order however long each read takes.
        let prev = s.tail.clone();
        let saver = this.clone();
        s.tail = future_to_promise(async move {
            let _ = JsFuture::from(prev).await;
            let read = JsFuture::from(blob.array_buffer()).await;
            let mut s = saver.borrow_mut();
            if s.broken.is_none() {
                let pushed = match read {
                    Ok(buf) => s.index.push(&Uint8Array::new(&buf).to_vec()),
                    Err(_) => Err(WebmError::Malformed),
                };
                s.broken = pushed.err();
            }
            Ok(JsValue::UNDEFINED)
        });
        s.bytes
    }

    /// The picture's frames (the sound's, without a picture) in the chunks indexed so far.
    pub fn frames(&self) -> u64 {
        self.index.cue_frames()
    }

    /// Resolves once every chunk so far is indexed.
    pub fn done(&self) -> Promise {
        self.tail.clone()
    }

    /// The finished file.
    pub fn finish(&mut self, name: String, audio_only: bool) -> Result<Recorded, String> {
        if self.chunks.is_empty() {
            return Err(WebmError::Empty.message().into());
        }
        let bag = BlobPropertyBag::new();
        bag.set_type(self.mime.split(';').next().unwrap_or(self.mime));
        let chunks: Array = self.chunks.iter().collect();
        let whole =
            Blob::new_with_blob_sequence_and_options(&chunks, &bag).map_err(js::describe)?;
        let index = std::mem::take(&mut self.index);
        let (blob, duration_ms) = match self.broken.map_or_else(|| index.finish(), Err) {
            Ok(layout) => {
                let parts = Array::new();
                for p in layout.parts {
                    match p {
                        Part::Bytes(b) => parts.push(&Uint8Array::from(b.as_slice())),
                        Part::Source { start, end } => {
                            let slice = whole
                                .slice_with_f64_and_f64(start as f64, end as f64)
                                .map_err(js::describe)?;
                            parts.push(&slice)
                        }
                    };
                }
                let fixed =
                    Blob::new_with_blob_sequence_and_options(&parts, &bag).map_err(js::describe)?;
                (fixed, Some(layout.duration_ms))
            }
            // Nothing is lost: the recording as the browser made it still plays.
            Err(_) => (whole, None),
        };
        Ok(Recorded {
            url: Url::create_object_url_with_blob(&blob).map_err(js::describe)?,
            name,
            bytes: blob.size() as u64,
            duration_ms,
            audio_only,
        })
    }
}
