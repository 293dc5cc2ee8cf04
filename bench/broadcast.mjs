// Going live, in browsers (issue 13): alice goes live in a room and bob, carol and dave
// watch through Hearth's media relay (the SFU), each in a Chromium of its own with
// Chromium's fake devices. Each round:
// - the baseline, in the same run: bob joins alice's room call (two in a mesh), from "Join
//   call" to her first frame shown; both leave;
// - alice goes live; bob, carol and dave click "Watch" one after the other: each one's time
//   from the click to her first frame shown (the third with two already watching); they stop
//   watching and alice ends it;
// - with the three watching, after 5 s of settling, for 5 s: what each viewer gets (frames
//   decoded a second, the picture's width) and what alice's browser uploads (kbit/s of video,
//   connections).
// Prints each figure's median, p90, min and max, and the watch time against the baseline.
// With `--sfu off` the server has no media relay and the broadcast goes the seed's way (alice's
// browser sends to each viewer's, a connection each): how far that holds up with three.
// Seen here (2 cores, 5 rounds, 2026-12-06): baseline 377 ms; through the SFU "Watch" 365 ms
// alone, 161 ms and 169 ms for the second and third (the SFU's cache of the group of pictures
// since the last keyframe serves them at once); each viewer 20 frames a second at 1280 px wide
// from one 1,131 kbit/s upload. With `--sfu off`: "Watch" 290, 330 and 335 ms; each viewer
// still 20 frames a second, but 480 to 640 px wide, alice's browser encoding three copies
// (760 kbit/s in all over three connections).
// Usage: node bench/broadcast.mjs [rounds] [--sfu off]   (after ./scripts/setup.sh; ~25 s a round)
import { chromium } from 'playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumArgs, joinCall, leaveAll, room, startHearth, stats, timedJoin } from './lib.mjs';

const argv = process.argv.slice(2);
const sfuOff = argv.join(' ').includes('--sfu off');
const ROUNDS = Number(argv.find((a) => /^\d+$/.test(a)) ?? 5);
const NAMES = ['alice', 'bob', 'carol', 'dave'];
const live = (p) => p.getByRole('region', { name: 'Your broadcast' });
const watching = (p) => p.getByRole('region', { name: 'Broadcast' });

const dir = mkdtempSync(path.join(tmpdir(), 'hearth-bench-'));
// Many joins in a short time: the per-user call budget (10, then one each 2 s) is for people.
const [server, url] = await startHearth(dir, ['--command-budget-scale', '100', ...(sfuOff ? ['--sfu', 'off'] : [])]);
const browsers = await Promise.all(NAMES.map(() => chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs })));
/** A page script: keeps every RTCPeerConnection in `window.__pcs`, for `flow`. */
function keepConnections() {
  window.__pcs = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...a) { const pc = new Native(...a); window.__pcs.push(pc); return pc; };
  window.RTCPeerConnection.prototype = Native.prototype;
}

/** Video totals over `p`'s open connections: frames decoded, bytes sent, widths seen. */
const videoTotals = (p) => p.evaluate(async () => {
  const t = { decoded: 0, sent: 0, widths: [], connections: 0 };
  for (const pc of window.__pcs.filter((c) => c.connectionState === 'connected')) {
    t.connections += 1;
    (await pc.getStats()).forEach((r) => {
      if (r.kind !== 'video') return;
      if (r.type === 'inbound-rtp') { t.decoded += r.framesDecoded ?? 0; if (r.frameWidth) t.widths.push(r.frameWidth); }
      if (r.type === 'outbound-rtp') t.sent += r.bytesSent ?? 0;
    });
  }
  return t;
});

/** Over `seconds`: each viewer's frames decoded a second and picture widths, and the host's
 * video upload (kbit/s) and connections. */
async function flow(host, viewers, seconds) {
  const pages = [host, ...viewers];
  // Settling: each sender's bandwidth estimate starts low and climbs over a few seconds.
  await new Promise((r) => setTimeout(r, 5000));
  const before = await Promise.all(pages.map(videoTotals));
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = await Promise.all(pages.map(videoTotals));
  const secs = (Date.now() - t0) / 1000;
  return {
    fps: after.slice(1).map((a, i) => (a.decoded - before[i + 1].decoded) / secs),
    widths: after.slice(1).flatMap((a) => a.widths),
    kbps: Math.round(((after[0].sent - before[0].sent) * 8) / secs / 1000),
    connections: after[0].connections,
  };
}
const fmt = (s) => `median ${s.median} ms, p90 ${s.p90} (min ${s.min}, max ${s.max})`;
try {
  const [alice, ...viewers] = await room(browsers, url, NAMES, 'Stage', keepConnections);
  const baseline = [];
  const watch = [[], [], []];
  const fps = [];
  const widths = new Set();
  const upload = [];
  let links = 0;
  for (let r = 1; r <= ROUNDS; r++) {
    await joinCall(alice, true);
    const join = await timedJoin(viewers[0], 1);
    baseline.push(join.last);
    await leaveAll([alice, viewers[0]], NAMES.slice(0, 2));

    await alice.getByRole('button', { name: 'Go live', exact: true }).click();
    await live(alice).getByRole('status').filter({ hasText: 'You are live' }).waitFor();
    const times = [];
    for (const [i, v] of viewers.entries()) {
      await v.getByRole('status', { name: 'Broadcast' }).getByRole('button', { name: 'Watch' }).waitFor();
      const w = await timedJoin(v, 1, 'Watch');
      watch[i].push(w.last);
      times.push(w.last);
    }
    const f = await flow(alice, viewers, 5);
    fps.push(...f.fps);
    f.widths.forEach((w) => widths.add(w));
    upload.push(f.kbps);
    links = f.connections;
    for (const v of viewers) await watching(v).getByRole('button', { name: 'Stop watching' }).click();
    await live(alice).getByRole('button', { name: 'End broadcast' }).click();
    await alice.getByRole('button', { name: 'Go live', exact: true }).waitFor();
    console.log(`round ${r}: join a call of 1 (mesh, baseline) ${join.last} ms; "Watch" -> first frame ${times.map((t) => `${t} ms`).join(', ')}; `
      + `three watching: ${f.fps.map((x) => x.toFixed(1)).join(', ')} frames a second, alice uploads ${f.kbps} kbit/s of video`);
  }
  console.log(`join a call of 1, mesh (baseline): ${fmt(stats(baseline))}`);
  for (const [i, w] of watch.entries()) console.log(`watch with ${i} already watching: ${fmt(stats(w))}`);
  const all = stats(watch.flat());
  console.log(`"Watch" -> first frame, all viewers: ${fmt(all)}; ${(all.median / stats(baseline).median).toFixed(2)}x the baseline's median`);
  const perSecond = stats(fps.map((x) => Math.round(x)));
  console.log(`${sfuOff ? 'the seed\'s way (--sfu off)' : 'through the SFU'}, three watching: frames decoded a second per viewer median ${perSecond.median} (min ${perSecond.min}, max ${perSecond.max}), `
    + `picture width ${[...widths].join('/')} px; alice uploads median ${stats(upload).median} kbit/s of video over ${links} connection(s)`);
} finally {
  await Promise.all(browsers.map((b) => b.close()));
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
