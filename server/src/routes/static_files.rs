//! The built frontend: exact files by path, `index.html` for every other GET (client-side
//! routes), brotli or gzip by `Accept-Encoding`, and long caching for hashed names.

use bytes::Bytes;
use warp::http::{header, Response, StatusCode};
use warp::{Filter, Rejection, Reply};

use crate::assets::Asset;
use crate::state::AppState;

const NOT_BUILT: &str = "<!doctype html><title>Hearth</title><p>The web app has not been built. \
Run <code>./scripts/run.sh</code>, which builds it and starts the server.</p>";

/// The static-file route (matches every GET, so it goes last).
pub fn route(state: AppState) -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    warp::get()
        .or(warp::head())
        .unify()
        .and(warp::path::full())
        .and(warp::header::optional::<String>("accept-encoding"))
        .map(move |path: warp::path::FullPath, enc: Option<String>| {
            serve(&state, path.as_str(), enc.as_deref())
        })
}

fn serve(state: &AppState, path: &str, accept: Option<&str>) -> Response<Bytes> {
    let key = path.trim_start_matches('/');
    let asset = state.assets.get(key).filter(|_| !key.is_empty());
    let (asset, is_index) = match asset {
        Some(a) => (a, false),
        None => match state.assets.get("index.html") {
            Some(index) => (index, true),
            None => return html(StatusCode::SERVICE_UNAVAILABLE, NOT_BUILT),
        },
    };
    respond(
        asset,
        is_index || key.ends_with(".html"),
        accept.unwrap_or(""),
    )
}

fn accepts(header_value: &str, coding: &str) -> bool {
    header_value.split(',').any(|part| {
        let mut it = part.trim().split(';');
        let name = it.next().unwrap_or("").trim();
        let q_zero = it.any(|p| p.trim().replace(' ', "") == "q=0");
        name.eq_ignore_ascii_case(coding) && !q_zero
    })
}

fn respond(asset: &Asset, no_cache: bool, accept: &str) -> Response<Bytes> {
    let (body, encoding): (Bytes, Option<&str>) = match (&asset.brotli, &asset.gzip) {
        (Some(br), _) if accepts(accept, "br") => (br.clone(), Some("br")),
        (_, Some(gz)) if accepts(accept, "gzip") => (gz.clone(), Some("gzip")),
        _ => (asset.raw.clone(), None),
    };
    let cache = if asset.immutable && !no_cache {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, asset.mime.as_str())
        .header(header::CACHE_CONTROL, cache)
        .header(header::VARY, "accept-encoding")
        .header("x-content-type-options", "nosniff");
    if let Some(enc) = encoding {
        builder = builder.header(header::CONTENT_ENCODING, enc);
    }
    if let Some(csp) = &asset.csp {
        builder = builder.header("content-security-policy", csp.as_str());
        for (name, value) in crate::csp::PAGE_HEADERS {
            builder = builder.header(*name, *value);
        }
    }
    builder.body(body).unwrap_or_default()
}

fn html(status: StatusCode, text: &'static str) -> Response<Bytes> {
    let mut r = Response::new(Bytes::from_static(text.as_bytes()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn accept_encoding_is_parsed() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "gzip"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
    }
}
