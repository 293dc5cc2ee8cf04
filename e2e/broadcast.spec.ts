// Going live (issue 13): alice goes live in a room; the other members see "alice is live"
// and watch. A viewer decodes her frames and receives her sound, opens no camera or
// microphone and sends nothing (getStats: no outbound-rtp); alice sees how many watch and
// who; a viewer who stops watching leaves the count; when alice ends it every viewer is
// told, and the room keeps an entry of it. A viewer on a phone has the picture above the
// room's chat. Through the server's media relay (the SFU) by default; with `--sfu off`, the seed's
// way: a connection from alice's browser to each viewer's.
import { test, expect, Person, band, keepsGrowing, localTrackStates } from './fixtures';
import { fakeCamera } from './chromium';
import { downloadFromPlayer, loudest, media, probe, recordedFor, regionRuns } from './media_checks';
import { liveAcrossRestart } from './restart_checks';

test.use({ launchOptions: fakeCamera(320, 240, 10) });

const hostScreen = (p: Person) => p.page.getByRole('region', { name: 'Your broadcast' });
const viewerScreen = (p: Person) => p.page.getByRole('region', { name: 'Broadcast' });
const liveBar = (p: Person) => p.page.getByRole('status', { name: 'Broadcast' });

/** alice live in "Stage", each of `viewers` watching her: her picture and sound arrive, and
 * they send nothing. */
async function watching(alice: Person, viewers: Person[]) {
  await alice.page.getByRole('button', { name: 'Go live', exact: true }).click();
  await expect(hostScreen(alice).getByRole('status')).toHaveText('You are live · 0 watching');
  // One after another: the viewers are listed in the order they came.
  for (const [i, v] of viewers.entries()) {
    await expect(liveBar(v)).toContainText('alice is live');
    await liveBar(v).getByRole('button', { name: 'Watch' }).click();
    await expect(hostScreen(alice).getByRole('status')).toHaveText(`You are live · ${i + 1} watching`);
  }
  await expect(hostScreen(alice).getByLabel('Viewers')).toHaveText(viewers.map((v) => v.name).join(', '));
  for (const v of viewers) {
    const screen = viewerScreen(v);
    await expect(screen.getByRole('status')).toHaveText(`${viewers.length} watching`);
    await expect(screen.locator('figure.tile figcaption .name')).toHaveText(['alice']);
    await keepsGrowing(async () => (await media(v.page)).frames, `${v.name} <- alice: video frames`);
    await keepsGrowing(async () => (await media(v.page)).audio, `${v.name} <- alice: audio packets`);
    expect((await media(v.page)).outbound, `${v.name} sends nothing`).toBe(0);
    expect(await localTrackStates(v.page), `${v.name} opened no camera or microphone`).toEqual([]);
  }
}

test('alice goes live; three members watch and send nothing; the count follows them; ending tells every viewer', async ({ browser, hearth }) => {
  test.setTimeout(180_000);
  // bob watches on a phone: the picture above the room's chat.
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  const [alice, bob, carol, dave] = await band(browser, hearth, ['alice', 'bob', 'carol', 'dave'], { bob: phone }, 'Stage');
  await watching(alice, [bob, carol, dave]);
  // Through the relay: alice sends once, however many watch.
  expect((await media(alice.page)).connections, 'alice: one connection, to the server').toBe(1);

  await viewerScreen(bob).getByRole('button', { name: 'Stop watching' }).click();
  await expect(hostScreen(alice).getByRole('status')).toHaveText('You are live · 2 watching');
  await expect(liveBar(bob)).toContainText('2 watching');
  await expect(viewerScreen(carol).getByRole('status')).toHaveText('2 watching');

  await hostScreen(alice).getByRole('button', { name: 'End broadcast' }).click();
  for (const v of [carol, dave]) {
    await expect(v.page.getByRole('alert').filter({ hasText: 'The broadcast ended.' })).toBeVisible();
    await expect(viewerScreen(v)).toHaveCount(0);
  }
  for (const p of [alice, bob, carol, dave]) {
    await expect(liveBar(p)).toHaveCount(0);
    // Its entry in the room: who was live, and who watched.
    await expect(p.page.getByRole('log', { name: 'Messages' })).toContainText(/alice was live, 0:\d\d \u2014 watched by bob, carol, dave/);
  }
});

test.describe('with --sfu off', () => {
  test.use({ hearthArgs: ['--sfu', 'off'] });

  test('the seed\'s way: alice\'s browser sends to each viewer\'s', async ({ browser, hearth }) => {
    test.setTimeout(120_000);
    const [alice, bob, carol] = await band(browser, hearth, ['alice', 'bob', 'carol'], {}, 'Stage');
    await watching(alice, [bob, carol]);
    expect((await media(alice.page)).connections, 'alice: a connection to each viewer').toBe(2);
    for (const v of [bob, carol]) expect((await media(v.page)).connections, `${v.name}: one, to alice`).toBe(1);
  });
});

test('restarting the server during a broadcast: the viewer sees and hears alice again, and it is still one', async ({ browser, hearth }) => {
  test.setTimeout(150_000);
  const [alice, bob] = await band(browser, hearth, ['alice', 'bob'], {}, 'Stage');
  await watching(alice, [bob]);

  await liveAcrossRestart(hearth, hostScreen(alice), viewerScreen(bob), bob.page);
});

test('a viewer records the broadcast: the file has alice\'s picture and her sound', async ({ browser, hearth }, testInfo) => {
  test.setTimeout(150_000);
  const [alice, bob] = await band(browser, hearth, ['alice', 'bob'], {}, 'Stage');
  await watching(alice, [bob]);

  await viewerScreen(bob).getByRole('button', { name: 'Record', exact: true }).click();
  await expect(bob.page.getByRole('status', { name: 'Recording' })).toBeVisible();
  // alice is told, as anyone in a call is when another records it.
  await expect(hostScreen(alice).getByRole('status').filter({ hasText: 'bob is recording' })).toBeVisible();
  await recordedFor(bob.page, 4);
  await viewerScreen(bob).getByRole('button', { name: 'Stop recording' }).click();
  await expect(hostScreen(alice).getByText('bob is recording')).toHaveCount(0);

  const file = await downloadFromPlayer(bob, (n) => testInfo.outputPath(n),
    /^hearth-room-Stage-\d{4}-\d\d-\d\d-\d{6}\.webm$/);
  const { streams, duration } = probe(file);
  expect(streams.filter((s) => s.codec_type === 'video')).toHaveLength(1);
  expect(streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name)).toEqual(['opus']);
  expect(duration).toBeGreaterThanOrEqual(4);
  expect(loudest(file), "alice's voice").toBeGreaterThan(-20);
  // The picture is in the middle of the frame (alice's camera, large; bob shows none).
  expect(regionRuns(file, '400:300:440:210'), "alice's picture").toEqual(['picture']);
});
