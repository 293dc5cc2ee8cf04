// The frame rate of a room call's recording, in the scene the e2e test records: three people
// in a mesh in one Chromium (cameras 320x240 at 15 fps), alice records the grid for S
// seconds, then bob shares his screen (1280x720 in the large spot) for S more; alice stops,
// and the file is read with ffprobe. Prints, per round and as medians, the frames a second
// in each part and the longest gap between two frames, against the budget (10 frames a
// second, no gap of 0.5 s). The e2e test only checks that frames keep coming: on the test
// machine's two cores, three browsers, a shared screen and the recorder's encoder share the
// processors, and the same build measured 5 to 28 frames a second from one minute to the
// next. So each round also prints this machine's speed at that moment: the time one core
// takes for a fixed loop, which is what to read the rate against; CPU_LOG=1 adds, for each
// part, the biggest users of CPU by process kind and thread (renderers are the pages).
// Usage: node bench/room_recording.mjs [rounds] [seconds]   (after ./scripts/setup.sh)
import { chromium } from 'playwright';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { browserThreadCpu, callGrid, chromiumArgs, joinCall, leaveAll, room, startHearth, stats, threadCoresSince }
  from './lib.mjs';
import { clock, frameTimes, longestGap, loopMs, rate, recordUntil, saveRecording } from './recorded.mjs';

const ROUNDS = Number(process.argv[2] ?? 3);
const SECONDS = Number(process.argv[3] ?? 5);
const NAMES = ['alice', 'bob', 'carol'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** With CPU_LOG set, where a part starts: every browser thread's CPU, and when. Unset, no
 * reading of /proc in the middle of a recording. */
const cpuMark = () => process.env.CPU_LOG && [browserThreadCpu(), Date.now()];
/** The biggest users of CPU since `mark`. */
const cpuLog = ([threads, ms]) => threadCoresSince(threads, (Date.now() - ms) / 1000, 10);

/** One recording: the grid, then bob's screen; the file's figures. */
async function round([alice, bob], dir, i) {
  await callGrid(alice).getByRole('button', { name: 'Record', exact: true }).click();
  await alice.getByRole('status', { name: 'Recording' }).waitFor();
  const grid0 = cpuMark();
  await recordUntil(alice, SECONDS);
  const gridCpu = grid0 && cpuLog(grid0);
  await callGrid(bob).getByRole('button', { name: 'Share screen' }).click();
  await alice.waitForFunction(() => document.querySelector('figure.tile.big[data-user="bob"] video:not(.standby)')
    ?.videoWidth === 1280, null, { timeout: 30_000 });
  const shared = await clock(alice);
  const screen0 = cpuMark();
  await recordUntil(alice, shared + SECONDS);
  if (screen0) console.log(`  CPU, the grid: ${gridCpu}\n  CPU, the screen: ${cpuLog(screen0)}`);
  await callGrid(alice).getByRole('button', { name: 'Stop recording' }).click();
  const file = await saveRecording(alice, dir, `round-${i}.webm`);
  await callGrid(bob).getByRole('button', { name: 'Stop sharing' }).click();
  const times = frameTimes(file);
  const end = times[times.length - 1];
  return {
    grid: rate(times, 0, shared), screen: rate(times, shared + 1, end),
    all: times.length / (end - times[0]), gap: longestGap(times),
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'hearth-bench-'));
const file = path.join(dir, 'camera.y4m');
execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-t', '10',
  '-pix_fmt', 'yuv420p', file]);
const [proc, url] = await startHearth(dir, ['--command-budget-scale', '100']);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: [...chromiumArgs, '--auto-select-desktop-capture-source=Entire screen', `--use-file-for-fake-video-capture=${file}`] });
try {
  const pages = await room(NAMES.map(() => browser), url, NAMES, 'Trip');
  console.log(`room call recording, mesh, one Chromium, three people (cameras 320x240 at 15), ${SECONDS} s of the grid `
    + `then ${SECONDS} s of a shared screen; budget: 10 frames a second, no gap of 0.5 s`);
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const loop = loopMs();
    for (const [j, p] of pages.entries()) await joinCall(p, j === 0);
    await sleep(3000); // bitrates and resolutions ramp up first
    const r = await round(pages, dir, i);
    await leaveAll(pages, NAMES);
    rounds.push(r);
    console.log(`round ${i + 1}: ${r.all.toFixed(1)} frames a second (grid ${r.grid.toFixed(1)}, screen `
      + `${r.screen.toFixed(1)}), longest gap ${r.gap.toFixed(2)} s; this machine's loop ${loop.toFixed(0)} ms`);
  }
  const m = (k) => stats(rounds.map((r) => r[k])).median;
  console.log(`median: ${m('all').toFixed(1)} frames a second (budget 10): grid ${m('grid').toFixed(1)}, `
    + `screen ${m('screen').toFixed(1)}; longest gap ${m('gap').toFixed(2)} s (budget 0.5)`);
} finally {
  await browser.close();
  proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
