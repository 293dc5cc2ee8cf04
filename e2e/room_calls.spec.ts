// Room calls: alice starts a video call in "Trip", bob joins from the ring, carol declines the
// ring and joins later with "Join call"; every participant decodes frames and receives audio
// from each of the other two over its own peer connection (a mesh), and sees who speaks
// highlighted; carol leaves and alice
// and bob go on; when the last one leaves, the room has the call's entry with everyone's name.
// A lost socket, and a server restart, leave the call running.
import { Page, WebSocketRoute } from '@playwright/test';
import { test, expect, Person, aliceAndFriends, makeRoom, openRoom, keepsGrowing, openAudioContexts, tripCall } from './fixtures';

/** Per open peer connection: video frames decoded and audio packets received. */
async function inboundPerPeer(page: Page): Promise<{ frames: number; audio: number }[]> {
  return page.evaluate(async () => {
    const pcs = ((window as any).__pcs as RTCPeerConnection[]).filter((pc) => pc.connectionState !== 'closed');
    return Promise.all(pcs.map(async (pc) => {
      const out = { frames: 0, audio: 0 };
      (await pc.getStats()).forEach((r: any) => {
        if (r.type !== 'inbound-rtp') return;
        if (r.kind === 'video') out.frames += r.framesDecoded ?? 0;
        if (r.kind === 'audio') out.audio += r.packetsReceived ?? 0;
      });
      return out;
    }));
  });
}

/** How many of the page's peer connections are open. */
async function openConnections(page: Page): Promise<number> {
  return (await inboundPerPeer(page)).length;
}

/** `p` has `n` open connections, and media keeps arriving on each. */
async function hearsAndSeesEach(p: Person, n: number) {
  await expect.poll(async () => (await inboundPerPeer(p.page)).length, { message: `${p.name}: ${n} connections` }).toBe(n);
  for (let i = 0; i < n; i++) {
    await keepsGrowing(async () => (await inboundPerPeer(p.page))[i]?.frames ?? 0, `${p.name}, peer ${i}: video frames`);
    await keepsGrowing(async () => (await inboundPerPeer(p.page))[i]?.audio ?? 0, `${p.name}, peer ${i}: audio packets`);
  }
}

const grid = (p: Person) => p.page.getByRole('region', { name: 'Room call' });
const tiles = (p: Person) => grid(p).locator('figure.tile:not(.mine) figcaption .name');

test('three friends in a room call: ring, join, join later, leave, and the entry names them', async ({ browser, hearth }) => {
  test.setTimeout(180_000);
  const [alice, bob, carol] = await aliceAndFriends(browser, hearth);
  await makeRoom(alice, 'Trip', [bob, carol]);
  for (const p of [alice, bob, carol]) await openRoom(p, 'Trip');

  await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
  await expect(grid(alice)).toHaveAttribute('data-phase', 'active');

  // bob joins from the ring.
  const bobRing = bob.page.getByRole('alertdialog', { name: 'Room call ringing' });
  await expect(bobRing).toContainText('alice is calling Trip');
  // It rings out loud (a WebAudio ringtone), and stops when he joins.
  await expect.poll(() => openAudioContexts(bob.page)).toBe(1);
  await bobRing.getByRole('button', { name: 'Join' }).click();
  await expect.poll(() => openAudioContexts(bob.page)).toBe(0);
  await expect(tiles(bob)).toHaveText(['alice']);
  await expect(tiles(alice)).toHaveText(['bob']);

  // bob mutes before carol comes: she must see it though she was not there when he did.
  await grid(bob).getByRole('button', { name: 'Mute' }).click();
  await expect(grid(alice).locator('figure.tile', { hasText: 'bob' }).getByRole('img', { name: 'muted' })).toBeVisible();

  // carol declines the ring, sees the call in progress in the room, and joins it later.
  const carolRing = carol.page.getByRole('alertdialog', { name: 'Room call ringing' });
  await carolRing.getByRole('button', { name: 'Decline' }).click();
  await expect(carolRing).toHaveCount(0);
  const bar = carol.page.getByRole('status', { name: 'Room call' });
  await expect(bar).toContainText('Call in progress');
  await expect(bar).toContainText('alice, bob');
  await bar.getByRole('button', { name: 'Join call' }).click();
  await expect(tiles(carol)).toHaveText(['alice', 'bob']);
  for (const p of [alice, bob]) await expect(tiles(p)).toHaveCount(2);
  await expect(grid(carol).locator('figure.tile', { hasText: 'bob' }).getByRole('img', { name: 'muted' })).toBeVisible();
  await expect(grid(carol).locator('figure.tile', { hasText: 'alice' }).getByRole('img', { name: 'muted' })).toHaveCount(0);
  await grid(bob).getByRole('button', { name: 'Unmute' }).click();

  // Each decodes frames and receives audio from each of the other two.
  for (const p of [alice, bob, carol]) await hearsAndSeesEach(p, 2);
  // The fake microphones beep: whoever sounds loudest is highlighted as speaking.
  for (const p of [alice, bob, carol]) {
    await expect(grid(p).locator('figure.tile.speaking').getByRole('img', { name: 'speaking' })).toHaveCount(1, { timeout: 15_000 });
  }

  // carol leaves; alice and bob go on.
  await grid(carol).getByRole('button', { name: 'Leave call' }).click();
  await expect(grid(carol)).toHaveCount(0);
  for (const [p, other] of [[alice, 'bob'], [bob, 'alice']] as const) {
    await expect(tiles(p)).toHaveText([other]);
    await hearsAndSeesEach(p, 1);
  }
  await expect(carol.page.getByRole('status', { name: 'Room call' })).toContainText('alice, bob');

  // The last one out ends it: the entry names everyone who took part.
  for (const p of [alice, bob]) await grid(p).getByRole('button', { name: 'Leave call' }).click();
  const entry = carol.page.getByRole('log', { name: 'Messages' }).locator('.msg.call-entry .text');
  await expect(entry).toContainText(/^Video call, \d+:\d\d — alice, bob, carol$/);
  await expect(carol.page.getByRole('status', { name: 'Room call' })).toHaveCount(0);
  await expect(carol.page.getByRole('button', { name: 'Video call', exact: true })).toBeVisible();
});

test('a participant whose connection to the server drops stays in the call and rejoins it unnoticed', async ({ browser, hearth }) => {
  test.setTimeout(120_000);
  const [alice, bob, carol] = await aliceAndFriends(browser, hearth);
  // bob's WebSocket goes through a switch the test can open (HTTP and media are untouched).
  let blocked = false;
  let current: WebSocketRoute | undefined;
  await bob.page.routeWebSocket(/\/ws$/, (ws) => {
    if (blocked) return ws.close({ code: 1011, reason: 'test: network down' });
    ws.connectToServer();
    current = ws;
  });
  await bob.page.reload();
  await bob.connected();
  await makeRoom(alice, 'Trip', [bob, carol]);
  for (const p of [alice, bob, carol]) await openRoom(p, 'Trip');
  await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
  for (const p of [bob, carol]) {
    await p.page.getByRole('alertdialog', { name: 'Room call ringing' }).getByRole('button', { name: 'Join' }).click();
  }
  for (const p of [alice, bob, carol]) await hearsAndSeesEach(p, 2);

  // The network drops bob's socket: the call goes on browser to browser, and nobody sees him leave.
  blocked = true;
  await current!.close({ code: 1011, reason: 'test: network down' });
  const lost = grid(bob).getByRole('status').filter({ hasText: 'Server connection lost; the call goes on' });
  await expect(lost).toBeVisible();
  for (const p of [alice, carol]) await keepsGrowing(async () => (await inboundPerPeer(p.page))[0]?.frames ?? 0, `${p.name}: frames`);
  await keepsGrowing(async () => (await inboundPerPeer(bob.page))[1]?.frames ?? 0, 'bob: frames while offline');

  // Back online, bob rejoins the same call: the same connections, signaling works again.
  blocked = false;
  await expect(lost).toHaveCount(0, { timeout: 30_000 });
  for (const p of [alice, carol]) await expect(tiles(p)).toHaveText(p === alice ? ['bob', 'carol'] : ['alice', 'bob']);
  expect(await openConnections(bob.page)).toBe(2);
  await grid(bob).getByRole('button', { name: 'Mute' }).click();
  for (const p of [alice, carol]) {
    await expect(grid(p).locator('figure.tile', { hasText: 'bob' }).getByRole('img', { name: 'muted' })).toBeVisible();
  }
  await expect(grid(bob)).toHaveAttribute('data-phase', 'active');
});

test('restarting the server during a room call does not end it; leaving still works and the call is recorded once', async ({ browser, hearth }) => {
  test.setTimeout(150_000);
  const [alice, bob, carol] = await tripCall(browser, hearth);
  for (const p of [alice, bob, carol]) {
    await expect(tiles(p)).toHaveCount(2);
    await expect.poll(async () => (await inboundPerPeer(p.page)).filter((c) => c.frames > 0).length,
      { message: `${p.name}: frames from both`, timeout: 20_000 }).toBe(2);
  }
  const lost = (p: Person) => grid(p).getByRole('status').filter({ hasText: 'Server connection lost; the call goes on' });
  const allIn = Date.now();

  await hearth.kill();
  for (const p of [alice, bob, carol]) {
    await expect(lost(p)).toBeVisible();
    await keepsGrowing(async () => (await inboundPerPeer(p.page))[1]?.frames ?? 0, `${p.name}: frames while the server is down`);
  }
  await hearth.start(); // the same port and data folder: the server has forgotten the call
  for (const p of [alice, bob, carol]) {
    await expect(lost(p), `${p.name} is back with the server`).toHaveCount(0, { timeout: 30_000 });
    await expect(grid(p)).toHaveAttribute('data-phase', 'active');
    await expect(tiles(p)).toHaveCount(2);
    expect(await openConnections(p.page)).toBe(2);
  }
  // The server knows the call again: carol's mute reaches both, a member's page shows it.
  await grid(carol).getByRole('button', { name: 'Mute' }).click();
  for (const p of [alice, bob]) {
    await expect(grid(p).locator('figure.tile', { hasText: 'carol' }).getByRole('img', { name: 'muted' })).toBeVisible();
  }
  const lasted = (Date.now() - allIn) / 1000;
  for (const p of [alice, bob, carol]) await grid(p).getByRole('button', { name: 'Leave call' }).click();
  for (const p of [alice, bob, carol]) {
    const entries = p.page.getByRole('log', { name: 'Messages' }).locator('.msg.call-entry .text');
    await expect(entries).toHaveCount(1);
    // Named in the order they came back; its length counts from before the restart.
    await expect(entries).toHaveText(/^Video call, \d+:\d\d — \w+, \w+, \w+$/);
    const [, m, s, names] = (await entries.innerText()).match(/(\d+):(\d\d) — (.*)$/)!;
    expect(names.split(', ').sort()).toEqual(['alice', 'bob', 'carol']);
    expect(Number(m) * 60 + Number(s), `${p.name}: the entry's length`).toBeGreaterThanOrEqual(Math.floor(lasted));
  }
});
