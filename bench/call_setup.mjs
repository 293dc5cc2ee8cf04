// Call set-up time on loopback: from the callee pressing "Accept" to the first decoded remote
// frame shown on the caller, over N calls through the real server; and in the same run the
// browser's floor: two RTCPeerConnections in one page (camera opened, offer, answer, first
// frame) with no signaling server. Prints medians, p90 and the ratio ours / floor.
// Usage: node bench/call_setup.mjs [N]   (after ./scripts/setup.sh; loopback only, bounded)
import { chromium } from 'playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumArgs as args, friends, startHearth, stats } from './lib.mjs';

const N = Number(process.argv[2] ?? 20);

async function ours(browser, url) {
  const [a, b] = await friends(browser, url);
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

const dir = mkdtempSync(path.join(tmpdir(), 'hearth-bench-'));
const [proc, url] = await startHearth(dir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
try {
  const base = stats(await floor(browser, url));
  const mine = stats(await ours(browser, url));
  const f = (x) => `${x.toFixed(0)} ms`;
  console.log(`calls: ${N} each, loopback, Chromium with fake devices`);
  console.log(`floor (one page, no server):  median ${f(base.median)}, p90 ${f(base.p90)} (min ${f(base.min)}, max ${f(base.max)})`);
  console.log(`hearth (Accept -> 1st frame): median ${f(mine.median)}, p90 ${f(mine.p90)} (min ${f(mine.min)}, max ${f(mine.max)})`);
  const overhead = mine.median - base.median;
  console.log(`ratio ours/floor (median): ${(mine.median / base.median).toFixed(2)}; overhead ${f(overhead)} (goal < 20 ms: ${overhead < 20 ? 'met' : 'NOT met'})`);
} finally {
  await browser.close();
  proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
