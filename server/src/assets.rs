//! The built frontend (trunk's `dist/`), read into memory at start and compressed once with
//! gzip and brotli, so each request is a lookup.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use bytes::Bytes;

/// One file, ready to serve.
#[derive(Debug, Clone)]
pub struct Asset {
    /// The `Content-Type`.
    pub mime: String,
    /// The file as is.
    pub raw: Bytes,
    /// gzip, when smaller.
    pub gzip: Option<Bytes>,
    /// brotli, when smaller.
    pub brotli: Option<Bytes>,
    /// Whether the name carries a content hash (cache forever).
    pub immutable: bool,
    /// For a page: its Content-Security-Policy (with the hashes of its inline scripts).
    pub csp: Option<String>,
}

/// The files, by URL path without the leading `/`.
#[derive(Debug, Default)]
pub struct Assets {
    files: HashMap<String, Asset>,
}

/// Trunk names built files `name-<hash>.ext` (or `_bg.wasm` after the hash), the hash being
/// 14 to 16 hex digits.
fn has_content_hash(name: &str) -> bool {
    name.split(['-', '.', '_'])
        .any(|part| (12..=64).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.contains("javascript")
        || mime.contains("json")
        || mime.contains("wasm")
        || mime.contains("svg")
}

fn gzip(raw: &[u8]) -> Option<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(raw).ok()?;
    enc.finish().ok().map(Bytes::from)
}

fn brotli(raw: &[u8]) -> Option<Bytes> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 9,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params).ok()?;
    Some(Bytes::from(out))
}

fn smaller(packed: Option<Bytes>, raw: &[u8]) -> Option<Bytes> {
    packed.filter(|p| p.len() < raw.len())
}

impl Assets {
    /// Reads every file under `dir`. A missing directory gives an empty set (the server
    /// then answers with a page saying how to build the frontend).
    pub fn load(dir: &Path) -> std::io::Result<Assets> {
        let mut files = HashMap::new();
        if dir.is_dir() {
            load_dir(dir, dir, &mut files)?;
        }
        Ok(Assets { files })
    }

    /// The file at `path`, if any.
    pub fn get(&self, path: &str) -> Option<&Asset> {
        self.files.get(path)
    }

    /// Whether the frontend was found.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Adds a file (tests).
    pub fn insert(&mut self, path: &str, raw: &[u8]) {
        self.files
            .insert(path.to_owned(), asset(path, raw.to_vec()));
    }
}

fn asset(name: &str, raw: Vec<u8>) -> Asset {
    let mime = mime_guess::from_path(name)
        .first_or_octet_stream()
        .to_string();
    let (gzip, brotli) = if compressible(&mime) {
        (smaller(gzip(&raw), &raw), smaller(brotli(&raw), &raw))
    } else {
        (None, None)
    };
    let csp = mime.starts_with("text/html").then(|| {
        crate::csp::policy(&crate::csp::inline_script_hashes(&String::from_utf8_lossy(
            &raw,
        )))
    });
    Asset {
        immutable: has_content_hash(name),
        csp,
        mime,
        raw: Bytes::from(raw),
        gzip,
        brotli,
    }
}

fn load_dir(root: &Path, dir: &Path, files: &mut HashMap<String, Asset>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            load_dir(root, &path, files)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let key = rel.to_string_lossy().replace('\\', "/");
            let raw = std::fs::read(&path)?;
            files.insert(key.clone(), asset(&key, raw));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_immutable() {
        assert!(has_content_hash("hearth-frontend-3f2a9c1d0b8e7f65_bg.wasm"));
        assert!(has_content_hash("hearth-frontend-28bf09a9860a34.js"));
        assert!(has_content_hash("hearth-frontend-3f2a9c1d0b8e7f65.js"));
        assert!(has_content_hash("style-0123456789abcdef.css"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("favicon.ico"));
    }

    #[test]
    fn text_is_compressed_both_ways() {
        let mut a = Assets::default();
        a.insert(
            "app-0123456789abcdef.js",
            "let x = 1;\n".repeat(200).as_bytes(),
        );
        let js = a.get("app-0123456789abcdef.js").expect("present");
        assert!(js.immutable);
        assert!(js.gzip.as_ref().is_some_and(|g| g.len() < 200));
        assert!(js.brotli.as_ref().is_some_and(|b| b.len() < 200));
        assert_eq!(js.mime, "text/javascript");
    }
}
