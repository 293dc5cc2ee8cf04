// Shared by the recording benchmarks: the machine's speed at the moment, the recording
// clock, saving what the player offers, and the frame times of a downloaded file.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Milliseconds one core takes for a fixed loop now: what to read a frame rate against. */
export function loopMs() {
  const t = performance.now();
  let s = 0;
  for (let i = 0; i < 1e9; i++) s += i & 1;
  if (s < 0) throw new Error('unreachable');
  return performance.now() - t;
}

/** The recording clock on `p`, in seconds. */
export async function clock(p) {
  const [m, s] = ((await p.getByRole('timer', { name: 'Recording time' }).textContent()) ?? '0:00').split(':').map(Number);
  return m * 60 + s;
}

/** Waits until the recording clock on `p` shows `secs` seconds or more. */
export async function recordUntil(p, secs) {
  while (await clock(p) < secs) await new Promise((r) => setTimeout(r, 200));
}

/** Downloads the recording the player on `p` shows into `dir` as `name`, and closes it. */
export async function saveRecording(p, dir, name) {
  const player = p.getByRole('dialog', { name: 'Recording' });
  const [download] = await Promise.all([p.waitForEvent('download'),
    player.getByRole('link', { name: 'Download' }).click()]);
  const file = path.join(dir, name);
  await download.saveAs(file);
  await player.getByRole('button', { name: 'Close' }).click();
  return file;
}

/** The video packets' times of `file`, in seconds, in order. */
export function frameTimes(file) {
  return execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts_time',
    '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim().split('\n').map(Number).sort((a, b) => a - b);
}

/** Frames a second between `from` and `to` seconds of `times`. */
export const rate = (times, from, to) => times.filter((t) => t >= from && t < to).length / (to - from);

/** The longest gap between two of `times`, in seconds. */
export const longestGap = (times) => Math.max(...times.slice(1).map((t, k) => t - times[k]));
