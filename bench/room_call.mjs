// Room calls (a mesh) on loopback, through the real server, Chromium with fake devices:
// - join time: from "Join call" to the first frame shown from every other participant, with
//   2 and with 3 already in the call (median of N joins each);
// - browser CPU per participant with 2, 3 and 4 in one call (in the same run), so the cost
//   of the mesh is known before the SFU.
// Each participant has a Chromium of its own, as on separate machines: pages sharing one
// Chromium share its fake camera, and a page opening it while another holds it waited 2.5 to
// 3 s for its first frame, which the join time then measured instead of the call.
// With `--small` every camera is a 320x240, 15 frames a second picture (a file made with
// ffmpeg) instead of Chromium's 640x480 at 30: on a small machine it tells how much of the
// join time is the machine's CPU.
// With `--trace` every join with 3 in prints, for each one already in: when their connection
// to the newcomer connected and when it sent its first video frame (ms after "Join call"; the
// frame as a getStats poll saw it, which lags under load), and how many of the frames their
// camera made from just before "Join call" until then reached its sinks (preview and
// encoders): the late participant's camera is the one that stops delivering.
// Usage: node bench/room_call.mjs [N] [seconds] [--small] [--trace]   (after ./scripts/setup.sh)
import { chromium } from 'playwright';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { browserCpu, chromiumArgs, cpuSince, joinCall, leaveAll, room, startHearth, stats, timedJoin } from './lib.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const small = process.argv.includes('--small');
const trace = process.argv.includes('--trace');
const N = Number(args[0] ?? 10);
const SECONDS = Number(args[1] ?? 10);
const NAMES = ['alice', 'bob', 'carol', 'dave'];
/** Page script for `--trace`: when each connection connected and sent its first video frame
 * (ms since the epoch), in `window.__trace`, oldest first. */
function traceConnections() {
  window.__trace = [];
  const Native = RTCPeerConnection;
  window.RTCPeerConnection = function (...a) {
    const pc = new Native(...a);
    const t = {};
    window.__trace.push(t);
    pc.addEventListener('connectionstatechange', () => { if (pc.connectionState === 'connected') t.connected ??= Date.now(); });
    const poll = setInterval(async () => {
      if (pc.connectionState === 'closed') return clearInterval(poll);
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'outbound-rtp' && r.kind === 'video' && r.framesEncoded > 0 && !t.sent) { t.sent = Date.now(); clearInterval(poll); }
      });
    }, 50);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
}

/** The camera frames made and delivered so far on `p`'s page. */
const cameraFrames = (p) => p.evaluate(() => {
  const s = document.querySelector('video.local')?.srcObject?.getVideoTracks()[0]?.stats;
  return { made: s?.totalFrames ?? 0, delivered: s?.deliveredFrames ?? 0 };
});

/** One line: for each of `pages`, their newest connection's times after `t0`, and their
 * camera's frames delivered of those made since `before`. */
async function traceLine(pages, t0, before) {
  const parts = [];
  for (const [i, p] of pages.entries()) {
    // The newcomer has a frame from each, so each has sent one: wait for the 50 ms poll to see it.
    await p.waitForFunction(() => window.__trace.at(-1)?.sent, null, { timeout: 5000 }).catch(() => {});
    const c = await p.evaluate(() => window.__trace.at(-1));
    const now = await cameraFrames(p);
    const ms = (x) => (x ? `${x - t0} ms` : 'not yet');
    parts.push(`${NAMES[i]} connected ${ms(c.connected)}, first frame sent ${ms(c.sent)}, camera delivered `
      + `${now.delivered - before[i].delivered} of ${now.made - before[i].made}`);
  }
  return `  trace: ${parts.join('; ')}`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** alice, befriended by the others, and room "Trip" of all four, open on every page. */
const trip = (browsers, url) => room(browsers, url, NAMES, 'Trip', trace ? traceConnections : undefined);
const join = joinCall;
const allLeave = (pages) => leaveAll(pages, NAMES);

async function joinTimes(pages, already) {
  const times = [];
  const each = {};
  for (let i = 0; i < N; i++) {
    for (const [j, p] of pages.slice(0, already).entries()) await join(p, j === 0);
    const newcomer = pages[already];
    await newcomer.getByRole('status', { name: 'Room call' }).waitFor();
    const before = await Promise.all(pages.slice(0, already).map(cameraFrames));
    const t = await timedJoin(newcomer, already);
    if (trace && already === 3) console.log(await traceLine(pages.slice(0, already), t.t0, before));
    times.push(t.last);
    for (const [who, ms] of Object.entries(t.each)) (each[who] ??= []).push(ms);
    await allLeave(pages.slice(0, already + 1));
  }
  const byWho = NAMES.filter((n) => each[n]).map((n) => `${n} ${stats(each[n]).median.toFixed(0)}`).join(', ');
  return { ...stats(times), byWho };
}

/** Browser cores per participant with `n` in the call, over SECONDS. */
async function cpuWith(pages, n) {
  for (const [j, p] of pages.slice(0, n).entries()) await join(p, j === 0);
  await sleep(5000); // bitrates and resolutions ramp up first
  const [c0, t0] = [browserCpu(), performance.now()];
  await sleep(SECONDS * 1000);
  const cores = cpuSince(c0) / ((performance.now() - t0) / 1000);
  await allLeave(pages.slice(0, n));
  return cores;
}

const dir = mkdtempSync(path.join(tmpdir(), 'hearth-bench-'));
// Joining and leaving 60 calls in a few minutes is past what the call-setup budget lets one
// person do (10 at once, then one every 2 s): the bench lifts it.
const [proc, url] = await startHearth(dir, ['--command-budget-scale', '100']);
const camera = [];
if (small) {
  const file = path.join(dir, 'camera.y4m');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-t', '10',
    '-pix_fmt', 'yuv420p', file]);
  camera.push(`--use-file-for-fake-video-capture=${file}`);
}
const browsers = [];
for (const _ of NAMES) {
  browsers.push(await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumArgs, ...camera] }));
}
try {
  const pages = await trip(browsers, url);
  const f = (x) => `${x.toFixed(0)} ms`;
  console.log(`room call, mesh, loopback, a Chromium with fake devices per participant (cameras ${small ? '320x240 at 15' : '640x480 at 30'}), ${cpus().length} cores; ${N} joins each`);
  for (const already of [2, 3]) {
    const s = await joinTimes(pages, already);
    console.log(`join with ${already} in the call ("Join call" -> a frame from each): median ${f(s.median)}, `
      + `p90 ${f(s.p90)} (min ${f(s.min)}, max ${f(s.max)}); median per participant, in the order they joined: ${s.byWho} ms`);
  }
  const idle = browserCpu();
  await sleep(SECONDS * 1000);
  const base = cpuSince(idle) / SECONDS;
  console.log(`browser CPU, ${SECONDS} s windows, a Chromium per participant (idle, no call: ${base.toFixed(3)} cores for all ${NAMES.length})`);
  for (const n of [2, 3, 4]) {
    const cores = await cpuWith(pages, n);
    console.log(`${n} in the call: ${cores.toFixed(3)} cores in all, ${((cores - base) / n).toFixed(3)} per participant above idle`);
  }
} finally {
  for (const b of browsers) await b.close();
  proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
