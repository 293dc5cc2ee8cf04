// Cost of recording: the browser's CPU time per second of a video call (both sides in one
// Chromium, cameras at 640x480 and 30 fps) with and without a running video recording on one
// side, measured in alternating windows of the same run. Prints each window and the median
// difference in cores (1.0 = one core fully busy), and how long the recording page takes to
// run a task it is given (a 0 ms timer, every 20 ms): what makes a busy page feel slow.
// Usage: node bench/recording_cpu.mjs [rounds] [seconds]   (after ./scripts/setup.sh)
import { chromium } from 'playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { browserCpu, chromiumArgs, cpuSince, friends, startHearth, stats } from './lib.mjs';

const ROUNDS = Number(process.argv[2] ?? 3);
const SECONDS = Number(process.argv[3] ?? 10);

/** Every camera at 640x480, 30 fps, whatever the app asks for; and the page's task delay. */
function vga() {
  const lag = window.__lag = { sum: 0, n: 0, max: 0 };
  const probe = () => {
    const t = performance.now();
    setTimeout(() => {
      const d = performance.now() - t;
      lag.sum += d; lag.n += 1; lag.max = Math.max(lag.max, d);
      setTimeout(probe, 20);
    }, 0);
  };
  probe();
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (c) =>
    gum(c && c.video ? { ...c, video: { width: { exact: 640 }, height: { exact: 480 }, frameRate: { exact: 30 } } } : c);
}

/** Cores used over the next `SECONDS` seconds, and `page`'s mean and worst task delay. */
async function cores(page) {
  const reset = () => page.evaluate(() => Object.assign(window.__lag, { sum: 0, n: 0, max: 0 }));
  await reset();
  const [c0, t0] = [browserCpu(), performance.now()];
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const wall = (performance.now() - t0) / 1000;
  const lag = await page.evaluate(() => window.__lag);
  return { cores: cpuSince(c0) / wall, delay: lag.sum / lag.n, worst: lag.max };
}

const dir = mkdtempSync(path.join(tmpdir(), 'hearth-bench-'));
const [proc, url] = await startHearth(dir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
try {
  const [a, b] = await friends(browser, url, vga);
  await a.getByRole('button', { name: 'Video call', exact: true }).click();
  await b.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
  await a.locator('.call.active[data-phase="active"]').waitFor();
  await new Promise((r) => setTimeout(r, 5000)); // bitrate and resolution ramp up first
  const without = [], with_ = [];
  for (let i = 0; i < ROUNDS; i++) {
    without.push(await cores(a));
    await a.getByRole('button', { name: 'Record', exact: true }).click();
    await a.getByRole('status', { name: 'Recording' }).waitFor();
    await new Promise((r) => setTimeout(r, 2000)); // the encoder settles
    with_.push(await cores(a));
    await a.getByRole('button', { name: 'Stop recording' }).click();
    const player = a.getByRole('dialog', { name: 'Recording' });
    await player.getByRole('button', { name: 'Close' }).click();
    await new Promise((r) => setTimeout(r, 2000));
    const show = (x) => `${x.cores.toFixed(3)} cores, task delay ${x.delay.toFixed(1)} ms (worst ${x.worst.toFixed(0)} ms)`;
    console.log(`round ${i + 1}: without ${show(without[i])}; recording ${show(with_[i])}`);
  }
  const med = (xs, k) => stats(xs.map((x) => x[k])).median;
  const [w, r] = [med(without, 'cores'), med(with_, 'cores')];
  console.log(`video call, 640x480 at 30 fps, both sides in one Chromium; ${ROUNDS} x ${SECONDS} s windows`);
  console.log(`median without recording: ${w.toFixed(3)} cores; with a video recording: ${r.toFixed(3)} cores`);
  console.log(`cost of recording: ${(r - w).toFixed(3)} cores (${((r - w) * 1000).toFixed(0)} ms of CPU per second)`);
  console.log(`recording page's mean task delay: ${med(without, 'delay').toFixed(1)} ms without, `
    + `${med(with_, 'delay').toFixed(1)} ms with the recording`);
} finally {
  await browser.close();
  proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
