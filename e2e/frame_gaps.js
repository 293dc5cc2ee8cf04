// Page script (evaluated as text, which the page's Content-Security-Policy allows, by e2e/sfu.spec.ts and
// bench/sfu_switch.mjs): `window.__watchFrameGaps()` starts timing every remote picture in the
// call grid, per participant (the tile's `data-user`), across the elements that show them (a
// new stream plays unseen in a standby element first; its frames count once shown).
//
// `window.__gaps[name]` is the longest time a viewer saw no new frame of `name`. Chromium
// presents WebRTC video on the compositor, not the page's main thread, so a busy main thread
// delays the frame callbacks without freezing the picture: from one callback to the next the
// compositor may have shown several frames (`presentedFrames` tells how many). Within one
// element the gap is the time between the two callbacks' presentation times divided by the
// frames shown in it; from one element to the next (the picture moving to another stream) it
// is the whole time from the old element's last frame to the new one's first, counted as
// one gap. `window.__lateCallbacks[name]` keeps the plain longest wait between two callbacks,
// main-thread delays included, for comparison. `window.__takeFrameGaps()` returns both and
// starts them again (the timing goes on). `window.__movedAt[name]` is when (`Date.now()`)
// `name`'s picture last moved from one element to another (a stream taking over), and
// `window.__longGaps` lists every gap over 300 ms: `{ name, ms, at, moved }` (`at`: when
// it ended, `Date.now()`; `moved`: at a move from one element to another).
// `window.__handovers` lists every such move, however short its gap: `{ name, ms, at }`,
// from the old element's last frame to the new one's first (a picture's own handover).
// `window.__broughtIntoView` lists every picture that came into view from standby (the
// `standby` class taken off its element): `{ name, ready, at }`, `ready` when the element
// had a frame to show at that moment (`readyState` HAVE_CURRENT_DATA or more, a size): a
// picture brought into view without one shows black until its first frame; `at` when
// (`Date.now()`, as its class was set).
window.__watchFrameGaps = () => {
  const w = window;
  w.__gaps = {};
  w.__lateCallbacks = {};
  // Called again (a new round of calls in the same page): the pictures are timed afresh,
  // by the same watchers (a second set would time against a picture shown a call ago).
  w.__gapShown = {}; // name -> { el, at, now }: the element last seen showing `name`, and when
  w.__movedAt = {};
  w.__longGaps = [];
  w.__handovers = [];
  w.__broughtIntoView = [];
  if (w.__gapScan) return;
  // When each `<video>` last had its class set through `className`, as the app brings a
  // picture into view: the observer below runs only after the task that did it, which may
  // go on for a while (a render of the call).
  const classSetAt = new WeakMap();
  const className = Object.getOwnPropertyDescriptor(Element.prototype, 'className');
  Object.defineProperty(Element.prototype, 'className', {
    ...className,
    set(value) {
      if (this.tagName === 'VIDEO') classSetAt.set(this, Date.now());
      className.set.call(this, value);
    },
  });
  new MutationObserver((records) => {
    for (const r of records) {
      const v = r.target;
      if (v.tagName !== 'VIDEO' || !r.oldValue?.split(' ').includes('standby') || v.classList.contains('standby')) continue;
      const name = v.closest('figure')?.dataset.user;
      const at = classSetAt.get(v) ?? Date.now();
      if (name) w.__broughtIntoView.push({ name, ready: v.readyState >= 2 && v.videoWidth > 0, at });
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'], attributeOldValue: true });
  const seen = new WeakMap(); // element -> { count, at } at its last callback
  const watched = new WeakSet();
  const onFrame = (v, now, meta) => {
    const name = v.closest('figure')?.dataset.user;
    const prev = seen.get(v);
    seen.set(v, { count: meta.presentedFrames, at: meta.presentationTime });
    if (!name || !v.isConnected || v.classList.contains('standby')) return;
    const last = w.__gapShown[name];
    if (last) {
      const frames = last.el === v && prev ? Math.max(1, meta.presentedFrames - prev.count) : 1;
      const gap = (meta.presentationTime - last.at) / frames;
      if (last.el !== v) {
        w.__movedAt[name] = Date.now();
        w.__handovers.push({ name, ms: Math.round(gap), at: w.__movedAt[name] });
      }
      w.__gaps[name] = Math.max(w.__gaps[name] ?? 0, gap);
      if (gap > 300) w.__longGaps.push({ name, ms: Math.round(gap), at: Date.now(), moved: last.el !== v, frames });
      w.__lateCallbacks[name] = Math.max(w.__lateCallbacks[name] ?? 0, now - last.now);
    }
    w.__gapShown[name] = { el: v, at: meta.presentationTime, now };
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
  const scan = () => document.querySelectorAll('figure.tile:not(.mine) video').forEach((v) => { if (!watched.has(v)) watch(v); });
  scan();
  w.__gapScan = setInterval(scan, 20);
};
