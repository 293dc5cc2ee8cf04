// Room calls through Hearth's SFU, in browsers: five friends, a Chromium each with a small
// fake camera (320x240 at 10 fps, so five fit on two cores), the real server with
// `--mesh-max 4`, on loopback; as in e2e/sfu.spec.ts, bob and dave on phone-sized windows
// (390x844), the others in 800x600 ones. Each round:
// - dave joins alice, bob and carol in their mesh: his join time with 3 in, through the mesh
//   (the baseline, in the same run);
// - 5 s later (the longest frame gap in those 5 s: the machine's, with nothing moving) erin
//   joins: the call moves to the SFU. Her join time; how long until no mesh connection is
//   left; and the longest gap between two frames shown that any of the first four saw on any
//   picture until then (e2e/frame_gaps.js), with how many of that sender's other viewers saw
//   it stall at the same time (all of them: the sender's browser or upload stalled, as it
//   does in the mesh with nothing moving); and the longest gap at a picture's own handover,
//   from its last frame through the mesh to its first through the relay;
// - dave leaves and joins again: his join time with 4 in, through the SFU.
// A join time runs from "Join call" to a frame shown from each of the others.
// Usage: node bench/sfu_switch.mjs [rounds]   (after ./scripts/setup.sh; ~15 s a round)
// DIST=<folder> serves another frontend build, to compare two on the same machine: this
// machine's speed drifts from one minute to the next, so alternate runs of the two.
// FPS=15 for other cameras; SIZES=1280x720,... for other windows (in the order of the names);
// GAP_LOG=1 prints what each of the four went through while the call moved (descriptions and
// how long each took to apply, closes, getStats calls, moves, gaps over 300 ms); SEND_LOG=1
// prints, per page and connection, every 0.5 s while the call moved: video frames encoded,
// sent, packets and frames received, frames decoded, and keyframe requests and keyframes
// (tells a sender that stops sending from a receiver that stops decoding); TRACE=1
// writes a Chromium trace of alice's browser during the move to /tmp/switch-<time>.json.
// Each round also prints the cores the five browsers used (from /proc, bench/lib.mjs) in the
// 5 s before the join and while the call moved; CPU_LOG=1 adds the biggest users by process
// kind and thread. Each round also says on how many pages the warning that the relay cannot
// be reached (shown after 15 s without a connection to it) came up while the call moved: on
// a machine this slow, setting up those connections comes near that. HEARTH_BIN=<file> runs another server
// build (see bench/lib.mjs).
import { chromium } from 'playwright';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { browserCpu, browserThreadCpu, callGrid, chromiumArgs, cpuSince, joinCall, leaveAll, room, startHearth, stats, threadCoresSince, timedJoin } from './lib.mjs';

const ROUNDS = Number(process.argv[2] ?? 5);
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin'];
const SETTLE_MS = 5000;
const FPS = Number(process.env.FPS ?? 10);
const SIZES = (process.env.SIZES ?? '800x600,390x844,800x600,390x844,800x600').split(',');

/** Page script: every peer connection in `window.__pcs`; what happens to each in
 * `window.__pcLog` and how long each `getStats()` took in `window.__statsLog` (for GAP_LOG). */
function instrument() {
  window.__pcs = [];
  window.__pcLog = [];
  window.__statsLog = [];
  const Native = RTCPeerConnection;
  window.RTCPeerConnection = function (...a) {
    const pc = new Native(...a);
    const n = window.__pcs.push(pc) - 1;
    const log = (what) => window.__pcLog.push({ pc: n, what, at: Date.now() });
    const timed = (name, what) => {
      const f = pc[name].bind(pc);
      pc[name] = (...args) => { const t0 = Date.now(); return f(...args).then((r) => { log(`${what(...args)} (${Date.now() - t0} ms)`); return r; }); };
    };
    log('new');
    pc.addEventListener('connectionstatechange', () => log(pc.connectionState));
    pc.addEventListener('track', (e) => log(`track ${e.track.kind}`));
    timed('setLocalDescription', () => `local ${pc.localDescription?.type}`);
    timed('setRemoteDescription', (d) => `remote ${d.type}${d.sdp.includes('ice-lite') ? ' (relay)' : ''}`);
    const close = pc.close.bind(pc);
    pc.close = () => { const t0 = Date.now(); close(); log(`close (${Date.now() - t0} ms)`); };
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  const getStats = Native.prototype.getStats;
  Native.prototype.getStats = function (...a) {
    const t0 = Date.now();
    return getStats.apply(this, a).then((r) => { window.__statsLog.push({ at: t0, ms: Date.now() - t0 }); return r; });
  };
}

/** Page script (SEND_LOG): every 500 ms, per open connection, its video counters (frames
 * encoded and sent; packets, frames and keyframes received and decoded; keyframe requests
 * and NACKs) and its send estimate, in `window.__sendLog`. */
function sampleSends() {
  const OUT = { enc: 'framesEncoded', sent: 'framesSent', pliIn: 'pliCount', kfEnc: 'keyFramesEncoded' };
  const IN = { pkts: 'packetsReceived', rcv: 'framesReceived', dec: 'framesDecoded', lost: 'packetsLost',
    nackOut: 'nackCount', pliOut: 'pliCount', kfDec: 'keyFramesDecoded' };
  window.__sendLog = [];
  clearInterval(window.__sendTimer);
  window.__sendTimer = setInterval(() => window.__pcs.forEach((pc, n) => {
    if (pc.connectionState === 'closed') return;
    const at = Date.now();
    pc.getStats().then((r) => {
      const e = { at, pc: n, bwe: 0 };
      const add = (s, names) => Object.entries(names).forEach(([k, stat]) => { e[k] = (e[k] ?? 0) + (s[stat] ?? 0); });
      r.forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') add(s, OUT);
        if (s.type === 'inbound-rtp' && s.kind === 'video') add(s, IN);
        if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) e.bwe = Math.round(s.availableOutgoingBitrate / 1000);
      });
      window.__sendLog.push(e);
    }, () => {});
  }), 500);
}

/** SEND_LOG: per page and connection, what each 500 ms added: `enc/sent/packets in p/frames
 * in/decoded`, then any keyframe requests, keyframes, NACKs or losses in brackets. */
async function printSends(pages, joinAt) {
  for (const [i, p] of pages.entries()) {
    const log = await p.evaluate(() => { clearInterval(window.__sendTimer); return window.__sendLog; });
    const byPc = new Map();
    for (const e of log) byPc.set(e.pc, [...(byPc.get(e.pc) ?? []), e]);
    for (const [pc, xs] of byPc) {
      const step = (e, k) => {
        const d = (key) => (e[key] ?? 0) - (xs[k][key] ?? 0);
        const rare = ['lost', 'nackOut', 'pliOut', 'pliIn', 'kfEnc', 'kfDec'].filter((key) => d(key)).map((key) => `${key}${d(key)}`);
        return `${d('enc')}/${d('sent')}/${d('pkts')}p/${d('rcv')}/${d('dec')}${rare.length ? `[${rare.join(' ')}]` : ''}`;
      };
      console.log(`  ${NAMES[i]} pc${pc} from @${xs[0].at - joinAt} (send estimate, kbit/s: ${xs.map((e) => e.bwe).join(',')}): ${xs.slice(1).map(step).join(' ')}`);
    }
  }
}

/** The frame-gap watcher the e2e test uses (see e2e/frame_gaps.js). */
const FRAME_GAPS = readFileSync(new URL('../e2e/frame_gaps.js', import.meta.url), 'utf8');

/** The longest of `gaps` (`{ ms, viewer, name }`: `viewer` saw no frame of `name` for `ms`). */
const longest = (gaps) => gaps.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, viewer: '-', name: '-' });

/** The longest frame gap the pages saw since the last take, and on which picture. */
async function takeWorst(pages) {
  const gaps = await Promise.all(pages.map((p) => p.evaluate(() => window.__takeFrameGaps().gaps)));
  return longest(gaps.flatMap((g, i) => Object.entries(g).map(([name, ms]) => ({ ms, viewer: NAMES[i], name }))));
}

/** What each of `pages` went through from `joinAt` on (ms after it): its connections'
 * descriptions (how long each took to apply), states and closes; its `getStats()` calls; when
 * each picture moved to the relay; and every frame gap over 300 ms (`M`: at a move). */
async function printTimeline(pages, joinAt) {
  for (const [i, p] of pages.entries()) {
    const { long, moved, pcLog, statsLog } = await p.evaluate(() => ({
      long: window.__longGaps, moved: window.__movedAt, pcLog: window.__pcLog, statsLog: window.__statsLog.splice(0),
    }));
    const rel = (t) => t - joinAt;
    const calls = statsLog.filter((e) => e.at > joinAt);
    const slow = calls.filter((e) => e.ms > 200).map((e) => `${e.ms} ms @${rel(e.at)}`);
    console.log(`  ${NAMES[i]}: ${pcLog.filter((e) => e.at > joinAt - 500).map((e) => `${e.pc}:${e.what}@${rel(e.at)}`).join(' ')}`);
    console.log(`  ${NAMES[i]}: getStats ${calls.length} calls, ${calls.reduce((a, e) => a + e.ms, 0)} ms in all; over 200 ms: ${slow.join(', ') || 'none'}`);
    console.log(`  ${NAMES[i]}: moved ${Object.entries(moved).map(([k, t]) => `${k} @${rel(t)}`).join(', ')}; gaps over 300 ms: ${
      long.filter((g) => g.at > joinAt).map((g) => `${g.name} ${g.ms} ms @${rel(g.at)}${g.moved ? ' M' : ''}`).join(', ') || 'none'}`);
  }
}

/** From `joinAt` on, in `pages`: the longest gap at a picture's own handover (its last frame
 * from the mesh to its first from the relay), and how many of the `worst` gap's sender's
 * other viewers saw it stall at the same time (all of them: the sender's side, its browser or
 * its upload, stalled; not one viewer's picture). */
async function moveGaps(pages, joinAt, worst) {
  const got = await Promise.all(pages.map((p) => p.evaluate(() => ({ hand: window.__handovers, long: window.__longGaps }))));
  const since = (key) => got.flatMap((g, i) => g[key].filter((e) => e.at > joinAt).map((e) => ({ ...e, viewer: NAMES[i] })));
  const handover = longest(since('hand'));
  const long = since('long');
  // When it ended: its entry in the list of gaps over 300 ms (none if it was shorter).
  const ended = longest(long.filter((g) => g.viewer === worst.viewer && g.name === worst.name));
  const overlap = (a, b) => Math.min(a.at, b.at) - Math.max(a.at - a.ms, b.at - b.ms) > Math.min(a.ms, b.ms) / 2;
  const others = NAMES.slice(0, pages.length).filter((n) => n !== worst.name && n !== worst.viewer);
  const alsoSaw = ended.ms ? others.filter((n) => long.some((g) => g.viewer === n && g.name === worst.name && overlap(g, ended))) : [];
  return { handover, stall: { also: alsoSaw.length, of: others.length } };
}

const open = (p) => p.evaluate(() => window.__pcs.filter((pc) => pc.connectionState !== 'closed').length);

/** Page script: from now on, `window.__unreached` is set when the page shows the warning that
 * its connection to the relay has been down for 15 s (it should not while the call moves). */
function watchUnreached() {
  window.__unreached = false;
  if (window.__unreachedWatch) return;
  // Only the alerts' text: `innerText` of the whole page would lay it out on every change,
  // work of the bench's own in the middle of the move it measures.
  const look = () => {
    if ([...document.querySelectorAll('[role=alert]')].some((e) => e.textContent.includes("Cannot reach the server's media relay"))) window.__unreached = true;
  };
  window.__unreachedWatch = new MutationObserver(look);
  window.__unreachedWatch.observe(document.body, { subtree: true, childList: true, characterData: true });
}

/** Waits until every page has one connection left: its mesh connections retired. */
async function oneConnectionEach(pages) {
  const deadline = Date.now() + 30_000;
  for (const [i, p] of pages.entries()) {
    while ((await open(p)) !== 1) {
      if (Date.now() > deadline) throw new Error(`${NAMES[i]} still has ${await open(p)} connections`);
      await p.waitForTimeout(200);
    }
  }
}

async function round(pages, browsers) {
  const [alice, bob, carol, dave, erin] = pages;
  await joinCall(alice, true);
  await joinCall(bob, false);
  await joinCall(carol, false);
  await dave.getByRole('status', { name: 'Room call' }).waitFor();
  const mesh = await timedJoin(dave, 3);
  // A call in progress: the four's connections ramp up before the fifth comes; the frame
  // gaps meanwhile are this machine's with nothing moving.
  const four = pages.slice(0, 4);
  for (const p of four) await p.evaluate(() => window.__watchFrameGaps());
  const [cpu0, threads0, t0] = [browserCpu(), browserThreadCpu(), Date.now()];
  await dave.waitForTimeout(SETTLE_MS);
  const still = await takeWorst(four);
  const stillS = (Date.now() - t0) / 1000;
  const cpuStill = cpuSince(cpu0) / stillS;
  const stillTop = process.env.CPU_LOG && threadCoresSince(threads0, stillS);
  const [cpu1, threads1] = [browserCpu(), browserThreadCpu()];
  if (process.env.TRACE) await browsers[0].startTracing(alice, { path: `/tmp/switch-${Date.now()}.json`, categories: ['toplevel', 'webrtc', 'disabled-by-default-toplevel.flow'] });
  if (process.env.SEND_LOG) for (const p of pages) await p.evaluate(sampleSends);
  for (const p of pages) await p.evaluate(watchUnreached);
  const joinAt = Date.now();
  const sw = await timedJoin(erin, 4);
  await oneConnectionEach(pages);
  const moveMs = Date.now() - joinAt;
  const worst = await takeWorst(four);
  const { handover, stall } = await moveGaps(four, joinAt, worst);
  const cpuMove = cpuSince(cpu1) / ((Date.now() - joinAt) / 1000);
  const unreached = (await Promise.all(pages.map((p) => p.evaluate(() => window.__unreached)))).filter(Boolean).length;
  if (process.env.CPU_LOG) console.log(`  CPU before: ${stillTop}\n  CPU moving: ${threadCoresSince(threads1, (Date.now() - joinAt) / 1000)}`);
  if (process.env.TRACE) await browsers[0].stopTracing();
  if (process.env.GAP_LOG) await printTimeline(four, joinAt);
  if (process.env.SEND_LOG) await printSends(pages, joinAt);
  await callGrid(dave).getByRole('button', { name: 'Leave call' }).click();
  await dave.getByRole('status', { name: 'Room call' }).getByRole('button', { name: 'Join call' }).waitFor();
  const sfu = await timedJoin(dave, 4);
  await leaveAll(pages, NAMES);
  return { mesh: mesh.last, switched: sw.last, moved: moveMs, still: still.ms, gap: worst.ms, gapAt: `${worst.viewer} <- ${worst.name}`, sfu: sfu.last,
    cpuStill, cpuMove, handover, stall, unreached };
}

const dir = mkdtempSync(path.join(tmpdir(), 'hearth-bench-'));
const [proc, url] = await startHearth(dir, ['--mesh-max', '4', '--command-budget-scale', '100']);
const file = path.join(dir, 'camera.y4m');
execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=${FPS}`, '-t', '10',
  '-pix_fmt', 'yuv420p', file]);
const browsers = [];
for (const _ of NAMES) {
  browsers.push(await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: [...chromiumArgs, `--use-file-for-fake-video-capture=${file}`] }));
}
try {
  const pages = await room(browsers, url, NAMES, 'Band', instrument);
  for (const [i, p] of pages.entries()) {
    const [width, height] = (SIZES[i] ?? SIZES[0]).split('x').map(Number);
    await p.setViewportSize({ width, height });
  }
  for (const p of pages) await p.evaluate(FRAME_GAPS);
  console.log(`room call, --mesh-max 4, loopback, a Chromium with a 320x240 ${FPS} fps fake camera per participant, windows ${SIZES.join(', ')}, ${cpus().length} cores; ${ROUNDS} rounds`);
  const all = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await round(pages, browsers);
    all.push(r);
    console.log(`round ${i + 1}: 4th joins the mesh ${r.mesh} ms; 5th joins and moves the call ${r.switched} ms, no mesh connection left after ${r.moved} ms, longest frame gap ${Math.round(r.gap)} ms (${r.gapAt}; ${Math.round(r.still)} ms in the 5 s before; its sender's other viewers saw it stall too: ${r.stall.also} of ${r.stall.of}), longest at a picture's handover ${r.handover.ms} ms (${r.handover.viewer} <- ${r.handover.name}); 5th again through the SFU ${r.sfu} ms; CPU ${r.cpuStill.toFixed(2)} cores before, ${r.cpuMove.toFixed(2)} moving; "Cannot reach the server's media relay" shown on ${r.unreached} of 5 pages while it moved`);
  }
  const line = (what, xs, unit = 'ms') => {
    const s = stats(xs);
    console.log(`${what}: median ${s.median.toFixed(0)} ${unit}, p90 ${s.p90.toFixed(0)} (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`);
  };
  line('join with 3 in, mesh (baseline)', all.map((r) => r.mesh));
  line('join with 4 in that moves the call to the SFU', all.map((r) => r.switched));
  line('from the 5th join to no mesh connection left', all.map((r) => r.moved));
  line('join with 4 in, through the SFU', all.map((r) => r.sfu));
  line('longest frame gap in the mesh, 5 s before (this machine, nothing moving)', all.map((r) => r.still));
  line('longest frame gap while the call moved (limit 1000 ms)', all.map((r) => r.gap));
  line('longest frame gap at a picture\'s handover (last frame from the mesh to first from the relay)', all.map((r) => r.handover.ms));
  console.log(`rounds whose longest gap every other viewer of that sender saw at the same time (a sender's stall): ${
    all.filter((r) => r.stall.of > 0 && r.stall.also === r.stall.of).length} of ${all.length}`);
  const cores = (what, xs) => { const s = stats(xs); console.log(`${what}: median ${s.median.toFixed(2)} of ${cpus().length} cores (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)})`); };
  cores('CPU of the five browsers in the 5 s before (a mesh of four)', all.map((r) => r.cpuStill));
  cores('CPU of the five browsers while the call moved', all.map((r) => r.cpuMove));
  const gap = stats(all.map((r) => r.gap));
  const still = stats(all.map((r) => r.still));
  console.log(`switch gap budget (issue 12: under 1000 ms): median ${gap.median.toFixed(0)} ms, ${gap.median < 1000 ? 'within' : 'OVER'}; `
    + `${(gap.median / still.median).toFixed(1)}x the mesh's own longest gap in the same run`);
} finally {
  for (const b of browsers) await b.close();
  proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
