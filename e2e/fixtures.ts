// Test fixtures: a running `hearth` per test, and helpers that act through the UI the way a
// person would (labels and button names, never CSS internals where a role will do).
import { test as base, expect, Page, Browser, BrowserContext, BrowserContextOptions } from '@playwright/test';
import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const binary = path.join(root, 'target', 'release', 'hearth');

export class Hearth {
  /** The URL people open (the public URL, when one is given). */
  url = '';
  /** Where hearth itself listens (differs from `url` behind a proxy). */
  listening = '';
  private proc?: ChildProcess;
  constructor(readonly dataDir: string, private port = 0, private extraArgs: string[] = []) {}

  /** Whether the browser reaches it over HTTPS. */
  get tls(): boolean { return this.url.startsWith('https:'); }

  /** Starts the binary and waits until it prints the URL to open. */
  async start(): Promise<void> {
    // Every server its own media port: tests run side by side. `$DIST` serves another
    // frontend build (`trunk build --release --dist <folder>`): to see a test fail without
    // the change it covers.
    const proc = spawn(binary, ['--addr', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir, '--media-port', '0',
      '--static-dir', process.env.DIST ?? path.join(root, 'dist'), ...this.extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.proc = proc;
    const line = await new Promise<RegExpMatchArray>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`hearth printed no URL: ${seen}`)), 20_000);
      proc.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const m = seen.match(/open (https?:\/\/[^\s]+?)\/?( \(listening on ([^)]+)\))?\n/);
        if (m) { clearTimeout(timer); resolve(m); }
      });
      proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hearth exited with ${code}`)); });
    });
    this.url = line[1];
    this.listening = line[3] ?? new URL(this.url).host;
    this.port = Number(this.listening.split(':').at(-1));
  }

  /** Stops it the hard way (SIGKILL), as a crash or power cut would. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => { proc.once('exit', () => resolve()); proc.kill('SIGKILL'); });
  }
}

/** Options a project or a test file sets with `use`. */
export type HearthOptions = { hearthArgs: string[]; tls: boolean };

export const test = base.extend<HearthOptions & { hearth: Hearth }>({
  /** Extra `hearth` flags for a test file (`test.use({ hearthArgs: [...] })`). */
  hearthArgs: [[], { option: true }],
  /** Serve HTTPS with the generated certificate (`--force-tls`): the `https` project. */
  tls: [false, { option: true }],
  hearth: async ({ hearthArgs, tls, browser }, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hearth-e2e-'));
    const server = new Hearth(dir, 0, tls ? ['--force-tls', ...hearthArgs] : hearthArgs);
    await server.start();
    await use(server);
    // The Content-Security-Policy allows everything the app does: no page may have hit it.
    const violations: string[] = [];
    for (const page of browser.contexts().flatMap((c) => c.pages())) {
      violations.push(...await page.evaluate(() => (window as any).__cspViolations as string[] ?? []).catch(() => []));
    }
    // Close every page the test opened, so no call outlives its test.
    await Promise.all(browser.contexts().map((c) => c.close()));
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },
});
export { expect };

/** Runs ffprobe (quiet but for errors) and returns what it prints. */
export const ffprobe = (args: string[]) => execFileSync('ffprobe', ['-v', 'error', ...args], { encoding: 'utf8' });

/** Runs in every page before the app: remembers each RTCPeerConnection, each stream
 * getUserMedia (and getDisplayMedia) returns and each AudioContext, so tests can read
 * getStats(), the tracks' states and whether a sound plays. */
function recordMedia({ forceRelay, blockDirect }: { forceRelay: boolean; blockDirect: boolean }) {
  const w = window as any;
  w.__pcs = [];
  w.__streams = [];
  w.__tracks = [];
  w.__candidateErrors = [];
  w.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
  const Native = w.RTCPeerConnection;
  w.RTCPeerConnection = function (config?: RTCConfiguration, ...rest: any[]) {
    // A network where only the relay gets through (two different NATs): the page may use
    // no host or server-reflexive candidate.
    const pc = new Native(forceRelay ? { ...config, iceTransportPolicy: 'relay' } : config, ...rest);
    pc.addEventListener('icecandidateerror', (e: any) => w.__candidateErrors.push({ url: e.url, code: e.errorCode, text: e.errorText }));
    w.__pcs.push(pc);
    return pc;
  };
  w.RTCPeerConnection.prototype = Native.prototype;
  if (blockDirect) {
    // Two browsers that cannot reach each other (each behind a NAT that lets nothing in, no
    // TURN relay): no candidate of the other browser's is ever used. The server's media
    // relay (ICE-lite, its one candidate in its descriptions) stays reachable.
    const setRemote = Native.prototype.setRemoteDescription;
    Native.prototype.setRemoteDescription = function (d?: RTCSessionDescriptionInit) {
      if (d?.sdp && !d.sdp.includes('a=ice-lite')) {
        d = { type: d.type, sdp: d.sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate') && l !== 'a=end-of-candidates').join('\r\n') };
      }
      return setRemote.call(this, d);
    };
    Native.prototype.addIceCandidate = function () { return Promise.resolve(); };
  }
  w.__descriptions = 0;
  const setLocal = Native.prototype.setLocalDescription;
  Native.prototype.setLocalDescription = function (...args: any[]) { w.__descriptions++; return setLocal.apply(this, args); };
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c?: MediaStreamConstraints) => {
    const s = await gum(c);
    w.__streams.push(s);
    w.__tracks.push(...s.getTracks());
    return s;
  };
  // Every WebAudio context (the ringtone, a recording's mixer), to tell whether one sounds.
  w.__audioContexts = [];
  const NativeAudio = w.AudioContext;
  w.AudioContext = function (...args: any[]) {
    const ctx = new NativeAudio(...args);
    w.__audioContexts.push(ctx);
    return ctx;
  };
  w.AudioContext.prototype = NativeAudio.prototype;
  w.__displayTracks = [];
  const gdm = navigator.mediaDevices.getDisplayMedia?.bind(navigator.mediaDevices);
  if (gdm) {
    navigator.mediaDevices.getDisplayMedia = async (c?: DisplayMediaStreamOptions) => {
      const s = await gdm(c);
      w.__displayTracks.push(...s.getTracks());
      return s;
    };
  }
}

/** How many WebAudio contexts of the page are open (not closed): a ringtone is one. */
export async function openAudioContexts(page: Page): Promise<number> {
  return page.evaluate(() => ((window as any).__audioContexts as AudioContext[]).filter((c) => c.state !== 'closed').length);
}

/** The protocol the page's document came over (`h2`, `http/1.1`). */
export async function protocolOf(page: Page): Promise<string> {
  return page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol);
}

/** How to open a page: browser context options, whether calls may use the TURN relay only,
 * and whether the browsers cannot reach each other at all. */
export type OpenOptions = BrowserContextOptions & { forceRelay?: boolean; blockDirect?: boolean };

/** A person at one browser: their own context (cookies, storage) and page. */
export class Person {
  /** Every alert/confirm/prompt the page opened (a script run from chat text would show here). */
  readonly dialogs: string[] = [];

  constructor(readonly name: string, readonly context: BrowserContext, public page: Page) {
    page.on('dialog', (d) => { this.dialogs.push(d.message()); void d.dismiss(); });
  }

  /** Opens Hearth in a new browser context. Over HTTPS the test accepts the self-signed
   * certificate (as a person does after comparing its fingerprint) and checks that the page
   * really came over HTTP/2, the protocol every browser speaks to an HTTPS server. */
  static async open(browser: Browser, hearth: Hearth, name: string, options: OpenOptions = {}): Promise<Person> {
    const { forceRelay = false, blockDirect = false, ...contextOptions } = options;
    const context = await browser.newContext({ baseURL: hearth.url, ignoreHTTPSErrors: hearth.tls, ...contextOptions });
    await context.addInitScript(recordMedia, { forceRelay, blockDirect });
    const page = await context.newPage();
    await page.goto('/');
    if (hearth.tls) expect(await protocolOf(page)).toBe('h2');
    return new Person(name, context, page);
  }

  async signUp(): Promise<void> {
    await this.fillCredentials();
    await this.page.getByRole('button', { name: 'Sign up' }).click();
    await this.connected();
  }

  async logIn(): Promise<void> {
    await this.fillCredentials();
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.connected();
  }

  private async fillCredentials(): Promise<void> {
    await this.page.getByLabel('Username').fill(this.name);
    await this.page.getByLabel('Password').fill(`${this.name}-secret-pw`);
  }

  async connected(): Promise<void> {
    await expect(this.page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
  }

  friend(name: string) {
    return this.page.locator(`[data-friend="${name}"]`);
  }

  async addFriend(name: string): Promise<void> {
    await this.page.getByLabel("Friend's username").fill(name);
    await this.page.getByRole('button', { name: 'Add friend' }).click();
  }

  async accept(name: string): Promise<void> {
    const request = this.page.locator('li.request.incoming', { hasText: name });
    await request.getByRole('button', { name: 'Accept' }).click();
  }

  async openChat(name: string): Promise<void> {
    await this.friend(name).click();
    await expect(this.page.getByRole('heading', { name })).toBeVisible();
  }

  async send(text: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
    await this.page.getByRole('button', { name: 'Send' }).click();
  }

  messages() {
    return this.page.getByRole('log', { name: 'Messages' }).locator('.msg .text');
  }
}

/** Two people who signed up and became friends through the UI (bob's page opened with
 * `bobs`, alice's with `options`). */
export async function friends(browser: Browser, hearth: Hearth, options: OpenOptions = {}, bobs: OpenOptions = options): Promise<[Person, Person]> {
  const alice = await Person.open(browser, hearth, 'alice', options);
  const bob = await Person.open(browser, hearth, 'bob', bobs);
  await alice.signUp();
  await bob.signUp();
  await alice.addFriend('bob');
  await bob.accept('alice');
  await expect(alice.friend('bob')).toBeVisible();
  await expect(bob.friend('alice')).toBeVisible();
  return [alice, bob];
}

/** `caller` calls `callee`, who accepts; returns once the caller's call is active. */
export async function startCall(caller: Person, callee: Person, kind: 'Voice call' | 'Video call' = 'Video call') {
  await caller.openChat(callee.name);
  await caller.page.getByRole('button', { name: kind, exact: true }).click();
  await callee.page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
  await expect(caller.page.locator('.call.active')).toHaveAttribute('data-phase', 'active');
}

/** Totals of the newest peer connection's inbound streams. */
export async function inbound(page: Page): Promise<{ framesDecoded: number; frameWidth: number; audioPackets: number; audioEnergy: number }> {
  return page.evaluate(async () => {
    const pcs = (window as any).__pcs as RTCPeerConnection[];
    const out = { framesDecoded: 0, frameWidth: 0, audioPackets: 0, audioEnergy: 0 };
    const pc = pcs[pcs.length - 1];
    if (!pc) return out;
    (await pc.getStats()).forEach((r: any) => {
      if (r.type !== 'inbound-rtp') return;
      if (r.kind === 'video') { out.framesDecoded += r.framesDecoded ?? 0; out.frameWidth = r.frameWidth ?? 0; }
      if (r.kind === 'audio') { out.audioPackets += r.packetsReceived ?? 0; out.audioEnergy += r.totalAudioEnergy ?? 0; }
    });
    return out;
  });
}

/** The candidate types (`host`, `srflx`, `relay`) of the newest peer connection's selected
 * pair, as this page sees them; empty strings while no pair is selected. */
export async function selectedPair(page: Page): Promise<{ local: string; remote: string }> {
  return page.evaluate(async () => {
    const pc = ((window as any).__pcs as RTCPeerConnection[]).at(-1);
    const out = { local: '', remote: '' };
    if (!pc) return out;
    const stats = await pc.getStats();
    let pairId = '';
    stats.forEach((r: any) => { if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId; });
    const pair: any = pairId ? stats.get(pairId) : undefined;
    if (!pair) return out;
    out.local = stats.get(pair.localCandidateId)?.candidateType ?? '';
    out.remote = stats.get(pair.remoteCandidateId)?.candidateType ?? '';
    return out;
  });
}

/** Frames and audio flow both ways between two people in a call. */
export async function mediaFlowsBothWays(a: Person, b: Person): Promise<void> {
  for (const [p, label] of [[a, a.name], [b, b.name]] as const) {
    await keepsGrowing(async () => (await inbound(p.page)).framesDecoded, `${label}: video frames`);
    await keepsGrowing(async () => (await inbound(p.page)).audioPackets, `${label}: audio packets`);
  }
}

/** A free TCP port on loopback (for a server the test starts: coturn, nginx). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as import('node:net').AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until a counter read by `read` has grown past its first reading. */
/** Waits until what `read` counts grows between two reads half a second apart (a count
 * that may have started over, as after a restart, passes once it moves again). */
export async function growsAgain(read: () => Promise<number>, label: string): Promise<void> {
  let last = -1;
  await expect.poll(async () => {
    const now = await read();
    const grew = last >= 0 && now > last;
    last = now;
    return grew;
  }, { message: `${label} again`, timeout: 30_000, intervals: [500] }).toBe(true);
}

export async function keepsGrowing(read: () => Promise<number>, label: string): Promise<void> {
  await expect.poll(read, { message: `${label} starts`, timeout: 20_000 }).toBeGreaterThan(0);
  const first = await read();
  await expect.poll(read, { message: `${label} keeps increasing`, timeout: 20_000 }).toBeGreaterThan(first);
}

/** Whether every track the newest peer connection sends is one getUserMedia or
 * getDisplayMedia gave (a copy would mute and stop separately, and keep a camera on). */
export async function sendsOriginalTracks(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const w = window as any;
    const pc = (w.__pcs as RTCPeerConnection[]).at(-1);
    const known = [...w.__tracks, ...w.__displayTracks];
    const sent = pc ? pc.getSenders().map((s) => s.track).filter((t) => t) : [];
    return sent.length > 0 && sent.every((t) => known.includes(t));
  });
}

/** The states of every track getUserMedia gave this page (even ones since removed from their stream). */
export async function localTrackStates(page: Page): Promise<string[]> {
  return page.evaluate(() => ((window as any).__tracks as MediaStreamTrack[]).map((t) => t.readyState));
}

/** alice, and bob and carol as her friends (who are not friends of each other). */
export async function aliceAndFriends(browser: Browser, hearth: Hearth, open: Partial<Record<string, OpenOptions>> = {}): Promise<[Person, Person, Person]> {
  const people = [];
  for (const name of ['alice', 'bob', 'carol']) {
    const p = await Person.open(browser, hearth, name, open[name]);
    await p.signUp();
    people.push(p);
  }
  const [alice, bob, carol] = people;
  for (const friend of [bob, carol]) {
    await alice.addFriend(friend.name);
    await friend.accept('alice');
    await expect(alice.friend(friend.name)).toBeVisible();
  }
  return [alice, bob, carol];
}

export const roomsList = (p: Person) => p.page.getByRole('list', { name: 'Rooms list' });

export async function openRoom(p: Person, name: string) {
  await roomsList(p).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await expect(p.page.getByRole('heading', { name, exact: true })).toBeVisible();
}

/** alice makes room `name` with her friends `members`; it shows in everyone's list. */
export async function makeRoom(alice: Person, name: string, members: Person[]) {
  await alice.page.getByRole('button', { name: 'New room' }).click();
  await alice.page.getByLabel('Room name').fill(name);
  for (const m of members) await alice.page.getByRole('checkbox', { name: m.name }).check();
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  for (const p of [alice, ...members]) {
    await expect(roomsList(p).getByRole('button', { name: new RegExp(`^${name}`) })).toContainText(`${members.length + 1} people`);
  }
}

/** alice, bob and carol in a video call in room "Trip": alice starts it, both join from the ring. */
export async function tripCall(browser: Browser, hearth: Hearth, open: Partial<Record<string, OpenOptions>> = {}): Promise<[Person, Person, Person]> {
  const [alice, bob, carol] = await aliceAndFriends(browser, hearth, open);
  await makeRoom(alice, 'Trip', [bob, carol]);
  for (const p of [alice, bob, carol]) await openRoom(p, 'Trip');
  await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
  for (const p of [bob, carol]) {
    await p.page.getByRole('alertdialog', { name: 'Room call ringing' }).getByRole('button', { name: 'Join' }).click();
  }
  return [alice, bob, carol];
}

/** `names` signed up, the first friends with the rest, all in `room` ("Band") with it open. */
export async function band(browser: Browser, hearth: Hearth, names: string[], open: Partial<Record<string, OpenOptions>> = {}, room = 'Band'): Promise<Person[]> {
  const people: Person[] = [];
  for (const name of names) {
    const p = await Person.open(browser, hearth, name, open[name]);
    await p.signUp();
    people.push(p);
  }
  const [first, ...friends] = people;
  for (const f of friends) {
    await first.addFriend(f.name);
    await f.accept(first.name);
    await expect(first.friend(f.name)).toBeVisible();
  }
  await makeRoom(first, room, friends);
  for (const p of people) await openRoom(p, room);
  return people;
}

/** `p` makes a stream key in the room open on their page ("Stream key", "New stream key")
 * and copies the server URL and the key, as into OBS. */
export async function newStreamKey(p: Person): Promise<{ key: string; url: string }> {
  await p.page.getByRole('button', { name: 'Stream key' }).click();
  const panel = p.page.getByRole('region', { name: 'Go live from OBS' });
  await panel.getByRole('button', { name: 'New stream key' }).click();
  await expect(panel.getByLabel('Bearer token')).not.toHaveValue('');
  return { key: await panel.getByLabel('Bearer token').inputValue(), url: await panel.getByLabel('Server').inputValue() };
}
