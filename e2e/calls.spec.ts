// One-to-one calls between two browser contexts with fake camera and microphone, against the
// real server: media is checked from getStats(), devices from the tracks' states.
import { test, expect, friends, inbound, keepsGrowing, localTrackStates, Person } from './fixtures';

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
