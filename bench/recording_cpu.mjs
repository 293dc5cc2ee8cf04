// Cost of recording: the browser's CPU time per second of a video call (both sides in one
// Chromium, cameras at 640x480 and 30 fps) with and without a running video recording on one
// side, measured in alternating windows of the same run. Prints each window and the median
// difference in cores (1.0 = one core fully busy).
// Usage: node bench/recording_cpu.mjs [rounds] [seconds]   (after ./scripts/setup.sh)
import { chromium } from 'playwright';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumArgs, friends, startHearth, stats } from './lib.mjs';

const ROUNDS = Number(process.argv[2] ?? 3);
const SECONDS = Number(process.argv[3] ?? 10);
const TICKS = 100; // clock ticks per second of /proc/<pid>/stat (USER_HZ)

/** Every camera at 640x480, 30 fps, whatever the app asks for. */
function vga() {
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (c) =>
    gum(c && c.video ? { ...c, video: { width: { exact: 640 }, height: { exact: 480 }, frameRate: { exact: 30 } } } : c);
}

/** CPU seconds used so far by every Chromium process under this one. */
function browserCpu() {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      return { pid: Number(pid), comm, ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) };
    } catch { return null; }
  }).filter(Boolean);
  const parent = new Map(procs.map((p) => [p.pid, p.ppid]));
  const ours = (pid) => { for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === process.pid) return true; return false; };
  return procs.filter((p) => /chrom/i.test(p.comm) && ours(p.pid)).reduce((s, p) => s + p.cpu, 0) / TICKS;
}

/** Cores used over the next `SECONDS` seconds. */
async function cores() {
  const [c0, t0] = [browserCpu(), performance.now()];
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  return (browserCpu() - c0) / ((performance.now() - t0) / 1000);
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
    without.push(await cores());
    await a.getByRole('button', { name: 'Record', exact: true }).click();
    await a.getByRole('status', { name: 'Recording' }).waitFor();
    await new Promise((r) => setTimeout(r, 2000)); // the encoder settles
    with_.push(await cores());
    await a.getByRole('button', { name: 'Stop recording' }).click();
    const player = a.getByRole('dialog', { name: 'Recording' });
    await player.getByRole('button', { name: 'Close' }).click();
    await new Promise((r) => setTimeout(r, 2000));
    console.log(`round ${i + 1}: without ${without[i].toFixed(3)} cores, recording ${with_[i].toFixed(3)} cores`);
  }
  const [w, r] = [stats(without).median, stats(with_).median];
  console.log(`video call, 640x480 at 30 fps, both sides in one Chromium; ${ROUNDS} x ${SECONDS} s windows`);
  console.log(`median without recording: ${w.toFixed(3)} cores; with a video recording: ${r.toFixed(3)} cores`);
  console.log(`cost of recording: ${(r - w).toFixed(3)} cores (${((r - w) * 1000).toFixed(0)} ms of CPU per second)`);
} finally {
  await browser.close();
  proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
