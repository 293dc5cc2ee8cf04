// Call set-up time on loopback: from the callee pressing "Accept" to the first decoded remote
// frame shown on the caller, over N calls through the real server; and in the same run the
// browser's floor: two RTCPeerConnections in one page (camera opened, offer, answer, first
// frame) with no signaling server. Prints medians, p90 and the ratio ours / floor.
// With --relay, hearth runs its own coturn (--coturn, loopback allowed) and the same run also
// times calls whose pages may use relayed candidates only, against direct calls: the medians
// and the difference. With --sfu, the same run times calls between pages that can use none of
// each other's candidates (no TURN), which go through hearth's own media relay 8 s after the
// answer, against direct calls.
// Usage: node bench/call_setup.mjs [N] [--relay|--sfu]   (after ./scripts/setup.sh; loopback only, bounded)
import { chromium } from 'playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { blockDirect, chromiumArgs as args, forceRelay, freePort, friends, startHearth, stats } from './lib.mjs';

const relay = process.argv.includes('--relay');
const sfu = process.argv.includes('--sfu');
const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);

/** N calls between two new friends (`names`); `init` runs in their pages first. */
async function ours(browser, url, init, names) {
  const [a, b] = await friends(browser, url, init, names);
  const times = [];
  for (let i = 0; i < N; i++) {
    await a.getByRole('button', { name: 'Video call', exact: true }).click();
    const accept = b.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' });
    await accept.waitFor();
    // The caller notes when its remote video shows its first frame.
    const firstFrame = a.evaluate(() => new Promise((resolve) => {
      const watch = () => {
        const v = document.querySelector('video.remote');
        if (v && v.srcObject) v.requestVideoFrameCallback(() => resolve(Date.now()));
        else requestAnimationFrame(watch);
      };
      watch();
    }));
    const t0 = await b.evaluate(() => {
      const btn = [...document.querySelectorAll('[role=alertdialog] button')].find((x) => x.textContent === 'Accept');
      const t = Date.now();
      btn.click();
      return t;
    });
    times.push((await firstFrame) - t0);
    await a.getByRole('button', { name: 'Hang up' }).click();
    await a.getByRole('button', { name: 'Close' }).click();
    await b.getByRole('button', { name: 'Close' }).click();
  }
  return times;
}

async function floor(browser, url) {
  const page = await (await browser.newContext({ baseURL: url })).newPage();
  await page.goto('/login');
  const times = [];
  for (let i = 0; i < N; i++) {
    times.push(await page.evaluate(async () => {
      const t0 = Date.now();
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 } } });
      const a = new RTCPeerConnection(), b = new RTCPeerConnection();
      a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
      b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
      const video = document.createElement('video');
      video.muted = true; video.autoplay = true; document.body.append(video);
      const shown = new Promise((resolve) => { b.ontrack = (e) => { video.srcObject = e.streams[0]; video.requestVideoFrameCallback(() => resolve(Date.now())); }; });
      stream.getTracks().forEach((t) => a.addTrack(t, stream));
      await a.setLocalDescription(); await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription(); await a.setRemoteDescription(b.localDescription);
      const t1 = await shown;
      stream.getTracks().forEach((t) => t.stop()); a.close(); b.close(); video.remove();
      return t1 - t0;
    }));
  }
  return times;
}

const f = (x) => `${x.toFixed(0)} ms`;
const line = (label, x) => `${label}: median ${f(x.median)}, p90 ${f(x.p90)} (min ${f(x.min)}, max ${f(x.max)})`;

/** Hearth against the browser's floor. */
async function againstFloor(browser, url) {
  const base = stats(await floor(browser, url));
  const mine = stats(await ours(browser, url));
  console.log(`calls: ${N} each, loopback, Chromium with fake devices`);
  console.log(line('floor (one page, no server) ', base));
  console.log(line('hearth (Accept -> 1st frame)', mine));
  const overhead = mine.median - base.median;
  console.log(`ratio ours/floor (median): ${(mine.median / base.median).toFixed(2)}; overhead ${f(overhead)} (goal < 20 ms: ${overhead < 20 ? 'met' : 'NOT met'})`);
}

/** Relayed calls against direct ones, through the same server. */
async function relayAgainstDirect(browser, url) {
  const direct = stats(await ours(browser, url, undefined, ['alice', 'bob']));
  const relayed = stats(await ours(browser, url, forceRelay, ['carol', 'dave']));
  console.log(`calls: ${N} each, loopback, Chromium with fake devices, hearth --coturn`);
  console.log(line('direct  (Accept -> 1st frame)', direct));
  console.log(line('relayed (Accept -> 1st frame)', relayed));
  console.log(`the relay adds ${f(relayed.median - direct.median)} at the median (${(relayed.median / direct.median).toFixed(2)}x)`);
}

/** Calls that fall back to hearth's media relay against direct ones, through the same server. */
async function sfuAgainstDirect(browser, url) {
  const direct = stats(await ours(browser, url, undefined, ['alice', 'bob']));
  const relayed = stats(await ours(browser, url, blockDirect, ['carol', 'dave']));
  console.log(`calls: ${N} each, loopback, Chromium with fake devices, no TURN`);
  console.log(line('direct                (Accept -> 1st frame)', direct));
  console.log(line('through the SFU (8 s) (Accept -> 1st frame)', relayed));
  console.log(`after the 8 s wait for a direct connection, the move to the relay took ${f(relayed.median - 8000)} at the median`);
}

const dir = mkdtempSync(path.join(tmpdir(), 'hearth-bench-'));
const extra = relay ? ['--coturn', '--coturn-allow-loopback', '--coturn-port', String(await freePort())] : [];
const [proc, url] = await startHearth(dir, extra);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
try {
  await (relay ? relayAgainstDirect : sfu ? sfuAgainstDirect : againstFloor)(browser, url);
} finally {
  await browser.close();
  // SIGTERM: hearth stops its coturn on the way out.
  proc.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
