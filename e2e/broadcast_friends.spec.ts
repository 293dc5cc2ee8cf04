// Going live to friends (issue 13): alice goes live from the main page, to no room; her
// friends see "live" beside her name and "alice is live" in her conversation, and watch
// there, the picture above her chat. A viewer decodes her frames and receives her sound,
// opens no camera or microphone and sends nothing; alice sees who watches; dave, a friend
// of bob's but not of alice's, hears nothing of it; when alice ends it every viewer is told.
// carol watches on a phone: the picture and the message field both in view, the picture above.
import { test, expect, Person, keepsGrowing, localTrackStates } from './fixtures';
import { fakeCamera } from './chromium';
import { media } from './media_checks';
import { liveAcrossRestart } from './restart_checks';

test.use({ launchOptions: fakeCamera(320, 240, 10) });

const hostScreen = (p: Person) => p.page.getByRole('region', { name: 'Your broadcast' });
const viewerScreen = (p: Person) => p.page.getByRole('region', { name: 'Broadcast' });
const liveBar = (p: Person) => p.page.getByRole('status', { name: 'Broadcast' });
const liveBadge = (p: Person, name: string) => p.friend(name).locator('.badge.live');

test('alice goes live to friends: two friends watch from her conversation and send nothing; a stranger sees nothing', async ({ browser, hearth }) => {
  test.setTimeout(180_000);
  const people: Person[] = [];
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  for (const name of ['alice', 'bob', 'carol', 'dave']) {
    const p = await Person.open(browser, hearth, name, name === 'carol' ? phone : {});
    await p.signUp();
    people.push(p);
  }
  const [alice, bob, carol, dave] = people;
  for (const [a, b] of [[alice, bob], [alice, carol], [dave, bob]]) {
    await a.addFriend(b.name);
    await b.accept(a.name);
    await expect(a.friend(b.name)).toBeVisible();
  }

  await alice.page.getByRole('button', { name: 'Go live to friends' }).click();
  await expect(hostScreen(alice).getByRole('status')).toHaveText('You are live · 0 watching');
  for (const v of [bob, carol]) {
    await expect(liveBadge(v, 'alice')).toHaveText('live');
    await v.openChat('alice');
    await expect(liveBar(v)).toContainText('alice is live');
    await liveBar(v).getByRole('button', { name: 'Watch' }).click();
  }
  await expect(hostScreen(alice).getByRole('status')).toHaveText('You are live · 2 watching');
  await expect(hostScreen(alice).getByLabel('Viewers')).toHaveText('bob, carol');
  for (const v of [bob, carol]) {
    // In her conversation: the picture above the chat with her.
    const screen = v.page.getByRole('region', { name: 'Conversation with alice' }).getByRole('region', { name: 'Broadcast' });
    await expect(screen.getByRole('status')).toHaveText('2 watching');
    await expect(screen.locator('figure.tile figcaption .name')).toHaveText(['alice']);
    await keepsGrowing(async () => (await media(v.page)).frames, `${v.name} <- alice: video frames`);
    await keepsGrowing(async () => (await media(v.page)).audio, `${v.name} <- alice: audio packets`);
    expect((await media(v.page)).outbound, `${v.name} sends nothing`).toBe(0);
    expect(await localTrackStates(v.page), `${v.name} opened no camera or microphone`).toEqual([]);
  }
  const picture = await carol.page.getByRole('region', { name: 'Broadcast' }).locator('figure.tile').boundingBox();
  const field = await carol.page.getByRole('textbox', { name: 'Message', exact: true }).boundingBox();
  expect(picture && field, 'carol sees the picture and the message field').toBeTruthy();
  expect(picture!.y + picture!.height, 'the picture above the message field').toBeLessThanOrEqual(field!.y);
  expect(field!.y + field!.height, 'the message field within the phone\'s screen').toBeLessThanOrEqual(844);
  expect(picture!.height, 'a picture, not a sliver').toBeGreaterThan(100);
  // dave is bob's friend, not alice's: nothing of it reaches him.
  await dave.openChat('bob');
  await expect(liveBadge(bob, 'alice')).toBeVisible();
  await expect(dave.page.locator('.badge.live')).toHaveCount(0);
  await expect(liveBar(dave)).toHaveCount(0);

  await hostScreen(alice).getByRole('button', { name: 'End broadcast' }).click();
  for (const v of [bob, carol]) {
    await expect(v.page.getByRole('alert').filter({ hasText: 'The broadcast ended.' })).toBeVisible();
    await expect(viewerScreen(v)).toHaveCount(0);
    await expect(liveBadge(v, 'alice')).toHaveCount(0);
    await expect(liveBar(v)).toHaveCount(0);
  }
  await expect(hostScreen(alice)).toHaveCount(0);
  // Each viewer's conversation with alice keeps it, naming who watched there.
  await expect(bob.page.getByText(/^alice was live, \d+:\d\d — watched by bob$/)).toBeVisible();
  await expect(carol.page.getByText(/^alice was live, \d+:\d\d — watched by carol$/)).toBeVisible();
});

test('restarting the server while alice is live to friends: bob sees and hears her again, and it is still one broadcast', async ({ browser, hearth }) => {
  test.setTimeout(150_000);
  const alice = await Person.open(browser, hearth, 'alice');
  const bob = await Person.open(browser, hearth, 'bob');
  for (const p of [alice, bob]) await p.signUp();
  await alice.addFriend('bob');
  await bob.accept('alice');
  await alice.page.getByRole('button', { name: 'Go live to friends' }).click();
  await bob.openChat('alice');
  await liveBar(bob).getByRole('button', { name: 'Watch' }).click();
  await expect(hostScreen(alice).getByRole('status')).toHaveText('You are live · 1 watching');
  await keepsGrowing(async () => (await media(bob.page)).frames, 'bob <- alice: video frames');

  await liveAcrossRestart(hearth, hostScreen(alice), viewerScreen(bob), bob.page);
  // One broadcast, one entry, however many connections it took.
  await expect(bob.page.getByText(/^alice was live, \d+:\d\d — watched by bob$/)).toHaveCount(1);
});
