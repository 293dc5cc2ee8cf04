// Calls between networks that only a TURN relay joins: each page may use relay candidates
// only (as behind two different NATs), the relay is a real coturn, and Hearth hands out
// time-limited credentials for it (TURN REST, coturn's use-auth-secret).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, friends, startCall, mediaFlowsBothWays, selectedPair, inbound, freePort, Person } from './fixtures';
import { startCoturn } from './servers';

const SECRET = `e2e-${randomBytes(12).toString('hex')}`;

/** The TURN errors a page's peer connections reported (icecandidateerror). */
const candidateErrors = (p: Person) =>
  p.page.evaluate(() => (window as any).__candidateErrors as { url: string; code: number; text: string }[]);

async function relayedCallWorks(alice: Person, bob: Person) {
  await startCall(alice, bob);
  await mediaFlowsBothWays(alice, bob);
  for (const p of [alice, bob]) {
    expect(await selectedPair(p.page), `${p.name}'s selected candidate pair`).toEqual({ local: 'relay', remote: 'relay' });
  }
}

/** Runs Settings → "Test connection" and returns what it shows: each path's line, and the
 * verdict. */
async function connectionTest(p: Person): Promise<{ lines: Record<string, string>; verdict: string }> {
  await p.page.getByRole('button', { name: 'Settings' }).click();
  const panel = p.page.getByRole('region', { name: 'Connection test' });
  await panel.getByRole('button', { name: 'Test connection' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Testing the connection…' })).toBeVisible();
  const verdict = panel.locator('.verdict');
  await expect(verdict).toBeVisible({ timeout: 30_000 });
  const lines: Record<string, string> = {};
  for (const li of await panel.locator('li[data-path]').all()) {
    lines[(await li.getAttribute('data-path'))!] = (await li.textContent())!;
  }
  return { lines, verdict: (await verdict.textContent())! };
}

/** hearth with `--turn-url` pointing at a coturn the test runs, signing with `secret`. */
function withCoturn(secret: string) {
  return test.extend<{ coturn: Awaited<ReturnType<typeof startCoturn>> }>({
    coturn: async ({}, use) => {
      const c = await startCoturn(SECRET);
      await use(c);
      await c.daemon.dispose();
    },
    hearthArgs: async ({ coturn }, use) => {
      const file = path.join(coturn.daemon.dir, 'hearth-turn-secret');
      writeFileSync(file, `${secret}\n`, { mode: 0o600 });
      await use(['--turn-url', coturn.url, '--turn-secret-file', file]);
    },
  });
}

withCoturn(SECRET)('a relay-only video call connects through coturn, media both ways', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth, { forceRelay: true });
  await relayedCallWorks(alice, bob);
});

withCoturn('not-the-secret')('with a wrong secret the relay refuses and the call gets no media', async ({ browser, hearth, coturn }) => {
  const [alice, bob] = await friends(browser, hearth, { forceRelay: true });
  await alice.openChat('bob');
  await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
  await bob.page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
  for (const p of [alice, bob]) {
    await expect.poll(() => candidateErrors(p), { message: `${p.name}: the relay refuses the credentials` })
      .toContainEqual(expect.objectContaining({ code: 401 }));
  }
  for (const p of [alice, bob]) {
    expect((await inbound(p.page)).framesDecoded).toBe(0);
    expect(await selectedPair(p.page)).toEqual({ local: '', remote: '' });
  }
  expect(coturn.daemon.output).toContain('Cannot find credentials');
});

withCoturn(SECRET)('the connection test reports the relay working', async ({ browser, hearth }) => {
  const alice = await Person.open(browser, hearth, 'alice');
  await alice.signUp();
  const { lines, verdict } = await connectionTest(alice);
  expect(lines['direct']).toMatch(/^Direct connection: works \(\d+ ms\)$/);
  // A TURN server also answers STUN; whether a separate "public" address shows on loopback
  // depends on the browser's host candidates, so either answer is right here.
  expect(lines['stun']).toMatch(/^STUN \(public address\): (works \(\d+ ms\)|fails: no public address seen)/);
  expect(lines['turn-tcp']).toBe('TURN relay over TCP: not offered by this server');
  expect(lines['turn-udp']).toMatch(/^TURN relay over UDP: works \(\d+ ms\)$/);
  expect(lines['relay-call']).toMatch(/^A call through the relay: works \(\d+ ms\)$/);
  expect(verdict).toBe('Calls to friends on other networks should work.');
});

withCoturn('not-the-secret')('with a wrong secret the connection test says the relay failed and why', async ({ browser, hearth, coturn }) => {
  const alice = await Person.open(browser, hearth, 'alice');
  await alice.signUp();
  const { lines, verdict } = await connectionTest(alice);
  const refused = `turn:127.0.0.1:${coturn.port}?transport=udp refused Hearth's credentials (401)`;
  expect(lines['turn-udp']).toBe(`TURN relay over UDP: fails: ${refused}`);
  expect(lines['relay-call']).toBe(`A call through the relay: fails: ${refused}`);
  expect(verdict).toBe(`Calls may fail because no relay is reachable: ${refused}.`);
});

test.describe('hearth --coturn', () => {
  test.use({
    hearthArgs: async ({}, use) => {
      await use(['--coturn', '--coturn-allow-loopback', '--coturn-port', String(await freePort())]);
    },
  });

  test('runs its own relay, and a relay-only call connects through it', async ({ browser, hearth }) => {
    const [alice, bob] = await friends(browser, hearth, { forceRelay: true });
    await relayedCallWorks(alice, bob);
  });

  test('the connection test finds its relay over UDP and over TCP', async ({ browser, hearth }) => {
    const alice = await Person.open(browser, hearth, 'alice');
    await alice.signUp();
    const { lines, verdict } = await connectionTest(alice);
    expect(lines['turn-udp']).toMatch(/^TURN relay over UDP: works \(\d+ ms\)$/);
    expect(lines['turn-tcp']).toMatch(/^TURN relay over TCP: works \(\d+ ms\)$/);
    expect(verdict).toBe('Calls to friends on other networks should work.');
  });
});

withCoturn(SECRET)('when the relay goes away and comes back, the call shows Reconnecting… and recovers by itself', async ({ browser, hearth, coturn }) => {
  const [alice, bob] = await friends(browser, hearth, { forceRelay: true });
  await relayedCallWorks(alice, bob);
  const reconnecting = (p: Person) => p.page.getByRole('status').filter({ hasText: 'Reconnecting…' });

  await coturn.daemon.stop();
  for (const p of [alice, bob]) await expect(reconnecting(p), `${p.name} sees the outage`).toBeVisible({ timeout: 20_000 });
  const before = { alice: (await inbound(alice.page)).framesDecoded, bob: (await inbound(bob.page)).framesDecoded };

  await coturn.daemon.start(coturn.port);
  const restarted = Date.now();
  for (const [p, frames] of [[alice, before.alice], [bob, before.bob]] as const) {
    await expect.poll(async () => (await inbound(p.page)).framesDecoded, { message: `${p.name}: frames flow again`, timeout: 15_000 })
      .toBeGreaterThan(frames + 30);
  }
  const recovered = Date.now() - restarted;
  console.log(`ICE restart: frames flowed again ${recovered} ms after the relay came back`);
  expect(recovered, 'recovered within 15 s of the relay coming back').toBeLessThan(15_000);
  for (const p of [alice, bob]) {
    await expect(reconnecting(p)).toHaveCount(0);
    await expect(p.page.locator('.call.active')).toHaveAttribute('data-phase', 'active');
    expect(await selectedPair(p.page)).toEqual({ local: 'relay', remote: 'relay' });
  }
});
