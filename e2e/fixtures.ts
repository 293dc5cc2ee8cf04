// Test fixtures: a running `hearth` per test, and helpers that act through the UI the way a
// person would (labels and button names, never CSS internals where a role will do).
import { test as base, expect, Page, Browser, BrowserContext } from '@playwright/test';
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const binary = path.join(root, 'target', 'release', 'hearth');

export class Hearth {
  url = '';
  private proc?: ChildProcess;
  constructor(readonly dataDir: string, private port = 0) {}

  /** Starts the binary and waits until it prints the URL to open. */
  async start(): Promise<void> {
    const proc = spawn(binary, ['--addr', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir,
      '--static-dir', path.join(root, 'dist')], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => { proc.once('exit', () => resolve()); proc.kill('SIGKILL'); });
  }
}

export const test = base.extend<{ hearth: Hearth }>({
  hearth: async ({}, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hearth-e2e-'));
    const server = new Hearth(dir);
    await server.start();
    await use(server);
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
  },
});
export { expect };

/** A person at one browser: their own context (cookies, storage) and page. */
export class Person {
  constructor(readonly name: string, readonly context: BrowserContext, public page: Page) {}

  static async open(browser: Browser, hearth: Hearth, name: string): Promise<Person> {
    const context = await browser.newContext({ baseURL: hearth.url });
    const page = await context.newPage();
    page.on('dialog', (d) => { throw new Error(`unexpected dialog: ${d.message()}`); });
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
