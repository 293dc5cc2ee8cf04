// Going live, in browsers (issue 13): alice goes live in a room and bob, carol and dave
// watch through Hearth's media relay (the SFU), each in a Chromium of its own with
// Chromium's fake devices. Each round:
// - the baseline, in the same run: bob joins alice's room call (two in a mesh), from "Join
//   call" to her first frame shown; both leave;
// - alice goes live; bob, carol and dave click "Watch" one after the other: each one's time
//   from the click to her first frame shown (the third with two already watching); they stop
//   watching and alice ends it.
// Prints each figure's median, p90, min and max, and the watch time against the baseline.
// Seen here (2 cores, 7 rounds): baseline 337 ms; "Watch" 385 ms alone, 739 ms and 978 ms for
// the second and third (the SFU asks a sender for a keyframe at most once a second per
// track: a viewer who comes within a second of the last waits for the next).
// Usage: node bench/broadcast.mjs [rounds]   (after ./scripts/setup.sh; ~20 s a round)
import { chromium } from 'playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumArgs, joinCall, leaveAll, room, startHearth, stats, timedJoin } from './lib.mjs';

const ROUNDS = Number(process.argv[2] ?? 5);
const NAMES = ['alice', 'bob', 'carol', 'dave'];
const live = (p) => p.getByRole('region', { name: 'Your broadcast' });
const watching = (p) => p.getByRole('region', { name: 'Broadcast' });

const dir = mkdtempSync(path.join(tmpdir(), 'hearth-bench-'));
// Many joins in a short time: the per-user call budget (10, then one each 2 s) is for people.
const [server, url] = await startHearth(dir, ['--command-budget-scale', '100']);
const browsers = await Promise.all(NAMES.map(() => chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs })));
const fmt = (s) => `median ${s.median} ms, p90 ${s.p90} (min ${s.min}, max ${s.max})`;
try {
  const [alice, ...viewers] = await room(browsers, url, NAMES, 'Stage');
  const baseline = [];
  const watch = [[], [], []];
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
    for (const v of viewers) await watching(v).getByRole('button', { name: 'Stop watching' }).click();
    await live(alice).getByRole('button', { name: 'End broadcast' }).click();
    await alice.getByRole('button', { name: 'Go live', exact: true }).waitFor();
    console.log(`round ${r}: join a call of 1 (mesh, baseline) ${join.last} ms; "Watch" -> first frame ${times.map((t) => `${t} ms`).join(', ')}`);
  }
  console.log(`join a call of 1, mesh (baseline): ${fmt(stats(baseline))}`);
  for (const [i, w] of watch.entries()) console.log(`watch with ${i} already watching: ${fmt(stats(w))}`);
  const all = stats(watch.flat());
  console.log(`"Watch" -> first frame, all viewers: ${fmt(all)}; ${(all.median / stats(baseline).median).toFixed(2)}x the baseline's median`);
} finally {
  await Promise.all(browsers.map((b) => b.close()));
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
