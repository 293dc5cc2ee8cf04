//! A screenshot just taken: its thumbnail, its size and a link that downloads it.

use yew::prelude::*;

use crate::webrtc::snapshot::Shot;

/// The screenshot, with its size and "Download".
pub fn shot(shot: &Shot) -> Html {
    html! {
        <figure class="shot">
            <img src={shot.url.clone()} alt={format!("Screenshot, {}×{}", shot.width, shot.height)} />
            <figcaption>
                { format!("{}×{} ", shot.width, shot.height) }
                <a href={shot.url.clone()} download={shot.name.clone()}>{ "Download" }</a>
            </figcaption>
        </figure>
    }
}
