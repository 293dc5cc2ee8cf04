// One-to-one calls between two browser contexts with fake camera and microphone, against the
// real server: media is checked from getStats(), devices from the tracks' states.
import { test, expect, friends, mediaFlowsBothWays, inbound, keepsGrowing, localTrackStates, Person, sendsOriginalTracks, startCall } from './fixtures';

async function ring(caller: Person, callee: Person, kind: 'Voice call' | 'Video call') {
  await caller.openChat(callee.name);
  await caller.page.getByRole('button', { name: kind, exact: true }).click();
  await expect(caller.page.getByRole('dialog', { name: 'Outgoing call' }).getByText('Ringing…')).toBeVisible();
  const incoming = callee.page.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(incoming).toContainText(`${caller.name} is calling`);
  await expect(incoming).toContainText(kind);
}

async function answer(callee: Person) {
  await callee.page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
}

test('a video call carries picture and sound both ways, and hanging up releases everything', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await ring(alice, bob, 'Video call');
  await answer(bob);
  for (const p of [alice, bob]) {
    await expect(p.page.locator('.call.active')).toHaveAttribute('data-phase', 'active');
    await keepsGrowing(async () => (await inbound(p.page)).framesDecoded, `${p.name}: video frames decoded`);
    await keepsGrowing(async () => (await inbound(p.page)).audioPackets, `${p.name}: audio packets received`);
    expect(await sendsOriginalTracks(p.page), `${p.name} sends the camera's own tracks`).toBe(true);
  }
  await expect(alice.page.getByRole('timer', { name: 'Call duration' })).toBeVisible();

  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  for (const p of [alice, bob]) {
    await expect(p.page.getByRole('dialog', { name: 'Call ended' })).toContainText('Call ended');
    await expect.poll(() => localTrackStates(p.page)).not.toContain('live');
  }
  // The call is in both conversations.
  await expect(alice.messages().last()).toHaveText(/^Video call, \d+:\d\d$/);
  await bob.page.getByRole('button', { name: 'Close' }).click();
  await expect(bob.page.getByRole('dialog', { name: 'Call ended' })).toHaveCount(0);
});

test('declining tells the caller and releases the caller\'s camera and microphone', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await ring(alice, bob, 'Video call');
  expect(await localTrackStates(alice.page)).toContain('live');
  await bob.page.getByRole('button', { name: 'Decline' }).click();
  await expect(alice.page.getByRole('dialog', { name: 'Call ended' })).toContainText('Declined');
  const states = await localTrackStates(alice.page);
  expect(states.length).toBeGreaterThan(0);
  expect(states.every((s) => s === 'ended')).toBe(true);
  await bob.openChat('alice');
  await expect(bob.messages().last()).toHaveText('Declined');
  await expect(alice.messages().last()).toHaveText('Video call declined');
});

test('muting silences the sound the friend receives; camera off shows the avatar', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await ring(alice, bob, 'Video call');
  await answer(bob);
  const energy = async () => (await inbound(bob.page)).audioEnergy;
  await keepsGrowing(energy, 'bob: audio energy');

  await alice.page.getByRole('button', { name: 'Mute' }).click();
  await expect(alice.page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await expect(bob.page.locator('.call .muted-flag')).toHaveText('muted');
  // Silence: the energy Bob receives stays unchanged for 1.5 s of consecutive readings
  // (unmuted, the fake microphone's beep raises it every second).
  let last = -1;
  let unchangedSince = Date.now();
  await expect.poll(async () => {
    const now = await energy();
    if (Math.abs(now - last) > 1e-6) { last = now; unchangedSince = Date.now(); }
    return Date.now() - unchangedSince;
  }, { message: 'audio energy stops growing', intervals: [250], timeout: 20_000 }).toBeGreaterThan(1500);

  await alice.page.getByRole('button', { name: 'Camera off' }).click();
  await expect(alice.page.getByRole('button', { name: 'Camera on' })).toBeVisible();
  await expect(bob.page.getByLabel("alice's camera is off")).toHaveText('A');
  await alice.page.getByRole('button', { name: 'Camera on' }).click();
  await expect(bob.page.getByLabel("alice's camera is off")).toHaveCount(0);
});

test('a voice call carries no video until it is turned into a video call', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await ring(alice, bob, 'Voice call');
  await answer(bob);
  await keepsGrowing(async () => (await inbound(bob.page)).audioPackets, 'bob: audio packets');
  const videoTracks = (p: Person) => p.page.evaluate(() =>
    ((window as any).__streams as MediaStream[]).flatMap((s) => s.getVideoTracks()).length);
  expect(await videoTracks(alice)).toBe(0);
  expect((await inbound(bob.page)).framesDecoded).toBe(0);
  await expect(bob.page.getByLabel("alice's camera is off")).toHaveText('A');

  await alice.page.getByRole('button', { name: 'Turn on video' }).click();
  await keepsGrowing(async () => (await inbound(bob.page)).framesDecoded, 'bob: video frames after the upgrade');
  await expect(bob.page.getByLabel("alice's camera is off")).toHaveCount(0);
});

test('the caller cancelling stops the ringing; closing the tab ends the call on the other side', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await ring(alice, bob, 'Voice call');
  await alice.page.getByRole('button', { name: 'Cancel' }).click();
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call' })).toHaveCount(0);
  await expect(bob.page.getByRole('dialog', { name: 'Call ended' })).toContainText('hung up before you answered');
  await bob.page.getByRole('button', { name: 'Close' }).click();
  await alice.page.getByRole('button', { name: 'Close' }).click();

  await ring(alice, bob, 'Video call');
  await answer(bob);
  await keepsGrowing(async () => (await inbound(alice.page)).framesDecoded, 'alice: video frames');
  await bob.page.close();
  await expect(alice.page.getByRole('dialog', { name: 'Call ended' })).toContainText('Connection lost');
  await expect.poll(() => localTrackStates(alice.page)).not.toContain('live');
});

test('answering on one tab stops the ringing on the others', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  const bobTab2 = new Person('bob', bob.context, await bob.context.newPage());
  await bobTab2.page.goto('/');
  await bobTab2.connected();
  await ring(alice, bob, 'Voice call');
  await expect(bobTab2.page.getByRole('alertdialog', { name: 'Incoming call' })).toBeVisible();
  await answer(bobTab2);
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call' })).toHaveCount(0);
  await expect(bob.page.getByRole('dialog', { name: 'Call ended' })).toContainText('Answered on another device');
  await keepsGrowing(async () => (await inbound(bobTab2.page)).audioPackets, 'bob (tab 2): audio packets');
});

test('restarting the server during a video call does not end it; hang-up still works and the call is recorded once', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await startCall(alice, bob);
  await mediaFlowsBothWays(alice, bob);
  const serverLost = (p: Person) => p.page.getByRole('status').filter({ hasText: 'Server connection lost; the call goes on' });

  await hearth.kill();
  for (const p of [alice, bob]) {
    await expect(serverLost(p)).toBeVisible();
    await keepsGrowing(async () => (await inbound(p.page)).framesDecoded, `${p.name}: frames while the server is down`);
  }
  await hearth.start(); // the same port and data folder
  for (const p of [alice, bob]) {
    await expect(serverLost(p), `${p.name} is back with the server`).toHaveCount(0);
    await expect(p.page.locator('.call.active')).toHaveAttribute('data-phase', 'active');
    await keepsGrowing(async () => (await inbound(p.page)).framesDecoded, `${p.name}: frames after the restart`);
  }
  // The server has the call again: mute state reaches the other side, and hang-up ends it.
  await alice.page.getByRole('button', { name: 'Mute' }).click();
  await expect(bob.page.locator('.call.active .muted-flag')).toHaveText('muted');
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.getByRole('dialog', { name: 'Call ended' })).toContainText('Call ended');
  await expect.poll(() => localTrackStates(bob.page)).not.toContain('live');
  await bob.page.getByRole('button', { name: 'Close' }).click();
  await bob.openChat('alice');
  for (const p of [alice, bob]) {
    await expect(p.messages().filter({ hasText: /^Video call, \d+:\d\d$/ })).toHaveCount(1);
    await expect(p.page.locator('.msg.call-entry')).toHaveCount(1);
  }
});
