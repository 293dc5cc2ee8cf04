// Test fixtures: a running `hearth` per test, and helpers that act through the UI the way a
// person would (labels and button names, never CSS internals where a role will do).
import { test as base, expect, Page, Browser, BrowserContext } from '@playwright/test';
import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const binary = path.join(root, 'target', 'release', 'hearth');

export class Hearth {
  url = '';
  private proc?: ChildProcess;
  constructor(readonly dataDir: string, private port = 0, private extraArgs: string[] = []) {}

  /** Starts the binary and waits until it prints the URL to open. */
  async start(): Promise<void> {
    const proc = spawn(binary, ['--addr', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir,
      '--static-dir', path.join(root, 'dist'), ...this.extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.proc = proc;
    this.url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`hearth printed no URL: ${seen}`)), 20_000);
      proc.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const m = seen.match(/open (http:\/\/[^\s]+?)\/?\s/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hearth exited with ${code}`)); });
    });
    this.port = Number(new URL(this.url).port);
  }

  /** Stops it the hard way (SIGKILL), as a crash or power cut would. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => { proc.once('exit', () => resolve()); proc.kill('SIGKILL'); });
  }
}

export const test = base.extend<{ hearthArgs: string[]; hearth: Hearth }>({
  /** Extra `hearth` flags for a test file (`test.use({ hearthArgs: [...] })`). */
  hearthArgs: [[], { option: true }],
  hearth: async ({ hearthArgs, browser }, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hearth-e2e-'));
    const server = new Hearth(dir, 0, hearthArgs);
    await server.start();
    await use(server);
    // Close every page the test opened, so no call outlives its test.
    await Promise.all(browser.contexts().map((c) => c.close()));
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
  },
});
export { expect };

/** Runs ffprobe (quiet but for errors) and returns what it prints. */
export const ffprobe = (args: string[]) => execFileSync('ffprobe', ['-v', 'error', ...args], { encoding: 'utf8' });

/** Runs in every page before the app: remembers each RTCPeerConnection and each stream
 * getUserMedia (and getDisplayMedia) returns, so tests can read getStats() and the tracks'
 * states. */
function recordMedia() {
  const w = window as any;
  w.__pcs = [];
  w.__streams = [];
  w.__tracks = [];
  const Native = w.RTCPeerConnection;
  w.RTCPeerConnection = function (...args: any[]) { const pc = new Native(...args); w.__pcs.push(pc); return pc; };
  w.RTCPeerConnection.prototype = Native.prototype;
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

/** A person at one browser: their own context (cookies, storage) and page. */
export class Person {
  /** Every alert/confirm/prompt the page opened (a script run from chat text would show here). */
  readonly dialogs: string[] = [];

  constructor(readonly name: string, readonly context: BrowserContext, public page: Page) {
    page.on('dialog', (d) => { this.dialogs.push(d.message()); void d.dismiss(); });
  }

  static async open(browser: Browser, hearth: Hearth, name: string): Promise<Person> {
    const context = await browser.newContext({ baseURL: hearth.url });
    await context.addInitScript(recordMedia);
    const page = await context.newPage();
    await page.goto('/');
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

/** Two people who signed up and became friends through the UI. */
export async function friends(browser: Browser, hearth: Hearth): Promise<[Person, Person]> {
  const alice = await Person.open(browser, hearth, 'alice');
  const bob = await Person.open(browser, hearth, 'bob');
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

/** Waits until a counter read by `read` has grown past its first reading. */
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
