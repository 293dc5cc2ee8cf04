// Shared by the browser benchmarks: the real server on a free port, Chromium with fake
// devices, signing up through the UI, and order statistics.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const chromiumArgs = ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic', '--autoplay-policy=no-user-gesture-required'];

/** Starts `hearth` with a data folder (and `extra` flags); resolves to [process, URL]. */
export function startHearth(dir, extra = []) {
  const proc = spawn(path.join(root, 'target/release/hearth'), ['--addr', '127.0.0.1:0', '--media-port', '0', '--data-dir', dir,
    '--static-dir', path.join(root, 'dist'), ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    proc.stdout.on('data', (c) => { seen += c; const m = seen.match(/open (http:\/\/\S+?)\/?\s/); if (m) resolve([proc, m[1]]); });
    proc.on('exit', (code) => reject(new Error(`hearth exited ${code}`)));
  });
}

/** Median, p90, min and max. */
export const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), min: s[0], max: s[s.length - 1] };
};

/** A new browser context signed up as `name`; `init` runs in the page before the app. */
export async function person(browser, url, name, init) {
  const context = await browser.newContext({ baseURL: url });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(`${name}-secret-pw`);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  return page;
}

/** Two friends (alice and bob unless named), with the first one's conversation open. */
export async function friends(browser, url, init, [first, second] = ['alice', 'bob']) {
  const a = await person(browser, url, first, init);
  const b = await person(browser, url, second, init);
  await a.getByLabel("Friend's username").fill(second);
  await a.getByRole('button', { name: 'Add friend' }).click();
  await b.locator('li.request.incoming').getByRole('button', { name: 'Accept' }).click();
  await a.locator(`[data-friend="${second}"]`).click();
  return [a, b];
}

/** A page script: every RTCPeerConnection may use relayed candidates only, as behind two
 * NATs that only a TURN relay joins. */
export function forceRelay() {
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = function (config, ...rest) { return new Native({ ...config, iceTransportPolicy: 'relay' }, ...rest); };
  window.RTCPeerConnection.prototype = Native.prototype;
}

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/** CPU seconds used by the Chromium processes under this one since `mark` (from
 * `browserCpu()`), process by process: one that exits in between (a closed page's renderer)
 * takes its earlier seconds with it instead of making the sum go down. */
export function cpuSince(mark) {
  let sum = 0;
  for (const [pid, cpu] of browserCpu()) sum += Math.max(0, cpu - (mark.get(pid) ?? 0));
  return sum;
}

/** CPU seconds used so far by each Chromium process under this one, by pid. */
export function browserCpu() {
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
  // USER_HZ: 100 ticks a second.
  return new Map(procs.filter((p) => /chrom/i.test(p.comm) && ours(p.pid)).map((p) => [p.pid, p.cpu / 100]));
}
