// Shared by the browser benchmarks: the real server on a free port, Chromium with fake
// devices, signing up through the UI, a room of friends and its call, and order statistics.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const chromiumArgs = ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic', '--autoplay-policy=no-user-gesture-required'];

/** Starts `hearth` with a data folder (and `extra` flags); resolves to [process, URL]. It
 * serves `dist/`, or the frontend built in `$DIST`; `$HEARTH_BIN` runs another server
 * binary than target/release/hearth (to compare two builds on one machine). */
export function startHearth(dir, extra = []) {
  const proc = spawn(process.env.HEARTH_BIN ?? path.join(root, 'target/release/hearth'), ['--addr', '127.0.0.1:0', '--media-port', '0', '--data-dir', dir,
    '--static-dir', process.env.DIST ?? path.join(root, 'dist'), ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** A page script: no candidate of the other browser's is ever used, as behind two NATs that
 * let nothing in with no TURN relay; the server's media relay (ICE-lite) stays reachable. */
export function blockDirect() {
  const Native = window.RTCPeerConnection;
  const setRemote = Native.prototype.setRemoteDescription;
  Native.prototype.setRemoteDescription = function (d) {
    if (d?.sdp && !d.sdp.includes('a=ice-lite')) {
      d = { type: d.type, sdp: d.sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate')).join('\r\n') };
    }
    return setRemote.call(this, d);
  };
  Native.prototype.addIceCandidate = function () { return Promise.resolve(); };
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

/** A `/proc/.../stat` line: the name, the parent and the CPU seconds used (user and system;
 * USER_HZ: 100 ticks a second). */
function parseStat(stat) {
  const close = stat.lastIndexOf(')');
  const f = stat.slice(close + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 };
}

/** The Chromium processes under this one: pid and name. */
function browserProcs() {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((pid) => {
    try { return { pid: Number(pid), ...parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) }; } catch { return null; }
  }).filter(Boolean);
  const parent = new Map(procs.map((p) => [p.pid, p.ppid]));
  const ours = (pid) => { for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === process.pid) return true; return false; };
  return procs.filter((p) => /chrom/i.test(p.comm) && ours(p.pid));
}

/** CPU seconds used so far by each Chromium process under this one, by pid. */
export function browserCpu() {
  return new Map(browserProcs().map((p) => [p.pid, p.cpu]));
}

/** CPU seconds used so far by each thread of the Chromium processes under this one, by
 * `pid/tid`, with what it is: the process's kind (`--type=`, or a utility's sub-type) and
 * the thread's name. */
export function browserThreadCpu() {
  const out = new Map();
  for (const { pid } of browserProcs()) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      const arg = (name) => args.find((a) => a.startsWith(name))?.slice(name.length);
      const kind = arg('--utility-sub-type=') ?? arg('--type=') ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const t = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
        out.set(`${pid}/${tid}`, { what: `${kind} ${t.comm.replace(/\d+$/, '#')}`, cpu: t.cpu });
      }
    } catch { /* the process or thread ended */ }
  }
  return out;
}

/** The `top` biggest users of CPU since `mark` (from `browserThreadCpu()`) over `seconds`,
 * in cores, by process kind and thread name. */
export function threadCoresSince(mark, seconds, top = 8) {
  const by = new Map();
  for (const [id, t] of browserThreadCpu()) {
    by.set(t.what, (by.get(t.what) ?? 0) + Math.max(0, t.cpu - (mark.get(id)?.cpu ?? 0)));
  }
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, top).map(([what, cpu]) => `${what} ${(cpu / seconds).toFixed(2)}`).join(', ');
}

/** The first of `names` befriended by the others, and a room `title` of them all, open on
 * every page; one browser of `browsers` each. `init` runs in each page before the app. */
export async function room(browsers, url, names, title, init) {
  const pages = [];
  for (const [i, name] of names.entries()) {
    const p = await person(browsers[i], url, name, init);
    p.logs = [];
    p.on('console', (m) => p.logs.push(`${m.type()}: ${m.text()}`));
    pages.push(p);
  }
  const [a, ...others] = pages;
  for (const [i, p] of others.entries()) {
    await a.getByLabel("Friend's username").fill(names[i + 1]);
    await a.getByRole('button', { name: 'Add friend' }).click();
    await p.locator('li.request.incoming').getByRole('button', { name: 'Accept' }).click();
    await a.locator(`[data-friend="${names[i + 1]}"]`).waitFor();
  }
  await a.getByRole('button', { name: 'New room' }).click();
  await a.getByLabel('Room name').fill(title);
  for (const name of names.slice(1)) await a.getByRole('checkbox', { name }).check();
  await a.getByRole('button', { name: 'Create room' }).click();
  for (const p of pages) {
    await p.getByRole('list', { name: 'Rooms list' }).getByRole('button', { name: new RegExp(`^${title}`) }).click();
  }
  return pages;
}

/** The room call's grid on `p`. */
export const callGrid = (p) => p.getByRole('region', { name: 'Room call' });

/** `p` starts the call (`first`) or joins the running one, and waits until it is in. */
export async function joinCall(p, first) {
  if (first) await p.getByRole('button', { name: 'Video call', exact: true }).click();
  else await p.getByRole('status', { name: 'Room call' }).getByRole('button', { name: 'Join call' }).click();
  await callGrid(p).and(p.locator('[data-phase="active"]')).waitFor({ timeout: 15_000 }).catch(async (e) => {
    const phase = await callGrid(p).getAttribute('data-phase').catch(() => 'no grid');
    const text = await p.locator('main').innerText().catch(() => '?');
    throw new Error(`stuck joining (phase ${phase}): ${text.slice(0, 500)}\nconsole: ${(p.logs ?? []).slice(-10).join('\n')}`, { cause: e });
  });
}

/** Milliseconds from clicking "Join call" (or `button`, e.g. "Watch") on `p` to a frame
 * shown from each of `others` (how many): the last one, and each participant's by name. */
export async function timedJoin(p, others, button = 'Join call') {
  const firstFrames = p.evaluate((n) => new Promise((resolve) => {
    const seen = {};
    const watch = () => {
      for (const v of document.querySelectorAll('figure.tile:not(.mine) video')) {
        if (v.srcObject && !v.dataset.watched) {
          v.dataset.watched = '1';
          const who = v.closest('figure').dataset.user;
          v.requestVideoFrameCallback(() => { seen[who] = Date.now(); if (Object.keys(seen).length === n) resolve(seen); });
        }
      }
      if (Object.keys(seen).length < n) requestAnimationFrame(watch);
    };
    watch();
  }), others);
  const t0 = await p.evaluate((label) => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent === label);
    const t = Date.now();
    b.click();
    return t;
  }, button);
  const seen = await firstFrames;
  const each = Object.fromEntries(Object.entries(seen).map(([who, t]) => [who, t - t0]));
  return { last: Math.max(...Object.values(each)), each, t0 };
}

/** Everyone in `pages` (named `names`) leaves, and the call is over for all. */
export async function leaveAll(pages, names) {
  for (const p of pages) await callGrid(p).getByRole('button', { name: 'Leave call' }).click();
  for (const [i, p] of pages.entries()) {
    await p.getByRole('button', { name: 'Video call', exact: true }).waitFor({ timeout: 10_000 }).catch(async (e) => {
      const bar = await p.locator('main').innerText().catch(() => '?');
      throw new Error(`${names[i]} still sees a call: ${bar.slice(0, 400)}`, { cause: e });
    });
  }
}
