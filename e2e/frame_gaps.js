// Page script (evaluated as text, which the page's Content-Security-Policy allows, by e2e/sfu.spec.ts and
// bench/sfu_switch.mjs): `window.__watchFrameGaps()` starts timing every remote picture in the
// call grid, per participant (the tile's `data-user`), across the tracks that bring it (a
// tile plays one stream whose picture track is replaced when their media moves to the relay)
// and the elements that show it.
//
// `window.__gaps[name]` is the longest time a viewer saw no new frame of `name`. Chromium
// presents WebRTC video on the compositor, not the page's main thread, so a busy main thread
// delays the frame callbacks without freezing the picture: from one callback to the next the
// compositor may have shown several frames (`presentedFrames` tells how many). Within one
// track the gap is the time between the two callbacks' presentation times divided by the
// frames shown in it; from one track to the next (the picture moving to the relay) it is the
// whole time from the old track's last frame to the new one's first, counted as one gap.
// `window.__lateCallbacks[name]` keeps the plain longest wait between two callbacks,
// main-thread delays included, for comparison. `window.__takeFrameGaps()` returns both and
// starts them again (the timing goes on). `window.__movedAt[name]` is when (`Date.now()`)
// `name`'s picture last moved to another track (or element), and `window.__longGaps` lists
// every gap over 300 ms: `{ name, ms, at, moved }` (`at`: when it ended, `Date.now()`;
// `moved`: at a move). `window.__blanked` lists every time a picture that had a frame had
// none to show (checked every 20 ms: no current frame, or no size), as a player given a new
// stream does until its first frame: `{ name, at }`.
window.__watchFrameGaps = () => {
  const w = window;
  w.__gaps = {};
  w.__lateCallbacks = {};
  // Called again (a new round of calls in the same page): the pictures are timed afresh,
  // by the same watchers (a second set would time against a picture shown a call ago).
  w.__gapShown = {}; // name -> { el, at, now }: the element last seen showing `name`, and when
  w.__movedAt = {};
  w.__longGaps = [];
  w.__blanked = [];
  if (w.__gapScan) return;
  const seen = new WeakMap(); // element -> { count, at } at its last callback
  const watched = new WeakSet();
  const onFrame = (v, now, meta) => {
    const name = v.closest('figure')?.dataset.user;
    const prev = seen.get(v);
    seen.set(v, { count: meta.presentedFrames, at: meta.presentationTime });
    if (!name || !v.isConnected) return;
    const track = (v.srcObject?.getVideoTracks() ?? []).map((t) => t.id).join();
    const last = w.__gapShown[name];
    if (last) {
      const moved = last.el !== v || last.track !== track;
      const frames = !moved && prev ? Math.max(1, meta.presentedFrames - prev.count) : 1;
      if (moved) w.__movedAt[name] = Date.now();
      const gap = (meta.presentationTime - last.at) / frames;
      w.__gaps[name] = Math.max(w.__gaps[name] ?? 0, gap);
      if (gap > 300) w.__longGaps.push({ name, ms: Math.round(gap), at: Date.now(), moved, frames });
      w.__lateCallbacks[name] = Math.max(w.__lateCallbacks[name] ?? 0, now - last.now);
    }
    w.__gapShown[name] = { el: v, track, at: meta.presentationTime, now };
  };
  const blank = new WeakSet(); // elements without a frame at the last check
  const checkBlank = (v) => {
    const name = v.closest('figure')?.dataset.user;
    const none = v.readyState < 2 || v.videoWidth === 0;
    if (name && none && !blank.has(v) && w.__gapShown[name]?.el === v) w.__blanked.push({ name, at: Date.now() });
    if (none) blank.add(v); else blank.delete(v);
  };
  w.__takeFrameGaps = () => {
    const taken = { gaps: w.__gaps, late: w.__lateCallbacks };
    w.__gaps = {};
    w.__lateCallbacks = {};
    return taken;
  };
  const watch = (v) => {
    watched.add(v);
    const next = (now, meta) => {
      onFrame(v, now, meta);
      if (v.isConnected) v.requestVideoFrameCallback(next);
    };
    v.requestVideoFrameCallback(next);
  };
  const scan = () => document.querySelectorAll('figure.tile:not(.mine) video').forEach((v) => {
    if (!watched.has(v)) watch(v);
    checkBlank(v);
  });
  scan();
  w.__gapScan = setInterval(scan, 20);
};
