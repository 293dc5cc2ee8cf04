// Two friends whose browsers cannot reach each other (each behind a NAT that lets nothing
// in, and no TURN relay: no candidate of the other browser's is ever used) still talk: the
// direct call moves to Hearth's own media relay (the SFU) by itself, says so on the call
// screen, and carries video and sound both ways over each browser's connection to the
// server, also after the server (its relay with it) restarts; a screen alice shares before
// the move stays shared through it. Bob is on a phone.
import { test, expect, friends, mediaFlowsBothWays, Person } from './fixtures';

/** Whether the newest peer connection of the page, made after its first `made`, is to the
 * server's relay (ICE-lite: its description says so) and connected. */
const onRelay = (p: Person, made = 0) => p.page.evaluate((made) => {
  const pcs = (window as any).__pcs as RTCPeerConnection[];
  const pc = pcs.at(-1);
  return pcs.length > made && !!pc && pc.connectionState === 'connected' && !!pc.remoteDescription?.sdp.includes('a=ice-lite');
}, made);

/** The width / height of the friend's picture on `p`'s page (0 before it has one). */
const aspect = (p: Person) => p.page.locator('video.remote').evaluate((v: HTMLVideoElement) => (v.videoHeight ? v.videoWidth / v.videoHeight : 0));

/** Bob sees alice's screen (16:9, the fake display's shape; her camera's is 4:3). */
async function seesScreen(bob: Person) {
  await expect(bob.page.getByRole('status').filter({ hasText: 'alice is sharing their screen' })).toBeVisible();
  await expect.poll(() => aspect(bob), { message: "bob: alice's screen, not her camera", timeout: 20_000 }).toBeCloseTo(16 / 9, 1);
}

/** How many peer connections the page has made. */
const made = (p: Person) => p.page.evaluate(() => ((window as any).__pcs as RTCPeerConnection[]).length);

test('a direct call between browsers that cannot reach each other goes through the server', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth, { blockDirect: true });
  await bob.page.setViewportSize({ width: 390, height: 844 });
  await alice.openChat('bob');
  await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
  await bob.page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
  // Alice shares her screen while it connects: the move takes it along.
  await alice.page.getByRole('button', { name: 'Share screen' }).click();
  await expect(alice.page.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
  for (const p of [alice, bob]) {
    await expect(p.page.getByRole('status').filter({ hasText: 'Relayed through the server' }), `${p.name} is told`)
      .toBeVisible({ timeout: 30_000 });
    await expect(p.page.locator('.call.active')).toHaveAttribute('data-phase', 'active');
    await expect.poll(() => onRelay(p), { message: `${p.name}'s media goes to the server` }).toBe(true);
  }
  await mediaFlowsBothWays(alice, bob);
  await seesScreen(bob);
  await expect(alice.page.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Hang up' })).toBeInViewport();

  // The server restarts, its relay with it: the call goes on through the new one by itself,
  // over a new connection to it.
  const before = { alice: await made(alice), bob: await made(bob) };
  await hearth.kill();
  const lost = (p: Person) => p.page.getByRole('status').filter({ hasText: 'Server connection lost; the call goes on' });
  for (const p of [alice, bob]) await expect(lost(p)).toBeVisible();
  await hearth.start();
  const restarted = Date.now();
  for (const p of [alice, bob]) {
    await expect(lost(p), `${p.name} is back with the server`).toHaveCount(0, { timeout: 30_000 });
    await expect.poll(() => onRelay(p, before[p.name as 'alice' | 'bob']), { message: `${p.name}: a new connection to the relay`, timeout: 30_000 }).toBe(true);
  }
  await mediaFlowsBothWays(alice, bob);
  console.log(`server restart in a relayed call: media both ways again ${Date.now() - restarted} ms after it came back`);
  await seesScreen(bob);

  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(alice.page.getByText('Relayed through the server')).toHaveCount(0);
});

// Bob (on a phone) has a network that lets nothing through but a TURN relay, and this
// server has none: he can reach neither alice nor the server's media relay. His connection
// to the relay never fails, it stays `new`: without a limit the call went on for ever,
// silent, with alice connected to the relay and waiting for him. Alice's call says it is
// connecting all along: her own connection to the relay is up, but nothing of bob's ever
// arrives through it.
test('a friend who cannot reach the media relay either: the call ends with a reason instead of hanging silent', async ({ browser, hearth, tls }) => {
  test.skip(tls, 'plain http only: 30 s of waiting that https changes nothing about');
  const [alice, bob] = await friends(browser, hearth, {}, { forceRelay: true });
  await bob.page.setViewportSize({ width: 390, height: 844 });
  await alice.openChat('bob');
  await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
  await bob.page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
  const accepted = Date.now();
  // Whether alice's call ever shows as connected (its clock running) from now on.
  await alice.page.evaluate(() => {
    const look = () => { if (document.querySelector('[role=timer][aria-label="Call duration"]')) (window as any).__clock = true; };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true });
    look();
  });
  await expect(alice.page.getByRole('status').filter({ hasText: 'Relayed through the server' }), 'the call moved to the relay')
    .toBeVisible({ timeout: 20_000 });
  await expect.poll(() => onRelay(alice), { message: "alice's connection to the relay is up" }).toBe(true);
  // Her own connection is up, but nothing of bob's comes through it: still connecting.
  await expect(alice.page.getByRole('status').filter({ hasText: 'Connecting…' }), 'alice is told it still connects').toBeVisible();
  const ending = (p: Person) => p.page.getByRole('dialog', { name: 'Call ended' }).getByRole('status');
  // 8 s for the direct connection, then 22 s for bob's to the relay.
  const unreached = "The call could not connect: your network cannot reach the server's media relay (it may block it).";
  await expect(ending(bob), "bob's call ends, and says why").toHaveText(unreached, { timeout: 45_000 });
  // On his phone, the whole reason and the way out.
  await expect(ending(bob), 'bob reads it all on his phone').toBeInViewport({ ratio: 1 });
  await expect(bob.page.getByRole('dialog', { name: 'Call ended' }).getByRole('button', { name: 'Close' })).toBeInViewport({ ratio: 1 });
  await expect(ending(alice), "alice's call ends too").toBeVisible();
  await expect(ending(alice), "alice's network is not to blame").not.toHaveText(unreached);
  expect(await alice.page.evaluate(() => !!(window as any).__clock), 'alice never saw the call as connected').toBe(false);
  console.log(`a call bob could not connect: ended ${Date.now() - accepted} ms after he accepted`);
});

test.describe('a server with no media relay (--sfu off)', () => {
  test.use({ hearthArgs: ['--sfu', 'off'] });
  // 40 s of waiting that https changes nothing about.
  test.skip(({ tls }) => tls, 'plain http only');

  test('the call that cannot connect ends with a reason instead of connecting for ever', async ({ browser, hearth }) => {
    const [alice, bob] = await friends(browser, hearth, { blockDirect: true });
    await alice.openChat('bob');
    await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
    await bob.page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
    const lost = 'The connection to your friend was lost and could not be restored.';
    const ending = (p: Person) => p.page.getByRole('dialog', { name: 'Call ended' }).getByRole('status');
    for (const p of [alice, bob]) {
      // 8 s for the direct connection, then 30 s as a lost one; whichever side gives up
      // first hangs up, so the other may only hear that the call ended.
      await expect(ending(p), `${p.name}'s call ends`).toBeVisible({ timeout: 60_000 });
      await expect(p.page.getByText('Relayed through the server')).toHaveCount(0);
    }
    const reasons = [await ending(alice).textContent(), await ending(bob).textContent()];
    expect(reasons, 'the side that gave up says why').toContain(lost);
  });
});
