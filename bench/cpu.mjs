// CPU time of the processes a browser benchmark runs, from /proc (Linux): every thread's
// user and system time, by process kind (Chromium's `--type=` and utility sub-type, hearth,
// node) and thread name, so a bench can print where the machine's cores went over a span.
import { readdirSync, readFileSync } from 'node:fs';

const read = (f) => { try { return readFileSync(f, 'utf8'); } catch { return null; } };

/** The kind of process `pid` is, or null for one a bench does not run. */
function kind(pid) {
  const cmd = read(`/proc/${pid}/cmdline`)?.split(/[\0 ]/);
  if (!cmd?.[0]) return null;
  if (/chrom/.test(cmd[0])) {
    const type = cmd.find((a) => a.startsWith('--type='))?.slice(7);
    const sub = cmd.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
    return sub ?? type ?? 'browser';
  }
  if (/hearth/.test(cmd[0])) return 'hearth';
  return /node/.test(cmd[0]) ? 'node' : null;
}

/** Every thread's CPU ticks now: `pid/tid` -> { key: "<process kind> <thread name>", ticks }. */
export function cpuSnapshot() {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const k = kind(pid);
    if (!k) continue;
    let tasks = [];
    try { tasks = readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tasks) {
      const st = read(`/proc/${pid}/task/${tid}/stat`);
      if (!st) continue;
      const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')).replace(/\d+$/, '#');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(`${pid}/${tid}`, { key: `${k} ${name}`, ticks: Number(f[11]) + Number(f[12]) });
    }
  }
  return { at: Date.now(), threads: out };
}

/** Cores used between two snapshots, in all and by the `top` biggest process kind and
 * thread name (ticks are 1/100 s). */
export function cpuBetween(a, b, top = 8) {
  const seconds = (b.at - a.at) / 1000;
  const by = new Map();
  for (const [id, v] of b.threads) {
    const d = v.ticks - (a.threads.get(id)?.ticks ?? 0);
    if (d > 0) by.set(v.key, (by.get(v.key) ?? 0) + d);
  }
  const cores = (t) => t / 100 / seconds;
  const rows = [...by].sort((x, y) => y[1] - x[1]);
  const total = cores(rows.reduce((s, r) => s + r[1], 0));
  const biggest = rows.slice(0, top).map(([k, t]) => `${k} ${cores(t).toFixed(2)}`).join(', ');
  return { total, text: `${total.toFixed(2)} cores over ${seconds.toFixed(1)} s (${biggest})` };
}
