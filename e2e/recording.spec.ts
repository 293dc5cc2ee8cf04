// Recording a call in the browser: the composite picture (1280x720) and both voices mixed,
// or the voices alone; the friend is told while it lasts; the file opens in the player, is
// downloaded, and ffprobe must find its streams and a real duration in its header.
import { test, expect, ffprobe, friends, inbound, keepsGrowing, startCall, Person } from './fixtures';
import { downloadFromPlayer, loudest, playerDuration, probe, recordedFor, recordingSeconds, regionRuns,
  framesKeepComing, pictureEndsEarly } from './media_checks';

/** What the top band of the frames shows: the bright camera filling it, or dark (an avatar's
 * ground, or the bands above and below two pictures side by side). */
const layouts = (file: string) => regionRuns(file, '1280:80:0:0');

test('a video recording has the composite picture, both voices and its duration, and the friend is told', async ({ browser, hearth }, testInfo) => {
  const [alice, bob] = await friends(browser, hearth);
  await startCall(alice, bob);
  await keepsGrowing(async () => (await inbound(alice.page)).framesDecoded, 'alice: frames');

  // Both voices are mixed: first only bob speaks (alice muted), then only alice, then neither.
  // Each phase is timed on the recording clock from when the pages show the change (the
  // clock shows whole seconds; 1.5 s more covers that and the sound's way to alice).
  const toggle = async (p: Person, label: 'Mute' | 'Unmute') => {
    await p.page.getByRole('button', { name: label }).click();
    await expect(p.page.getByRole('button', { name: label === 'Mute' ? 'Unmute' : 'Mute' })).toBeVisible();
  };
  const clock = () => recordingSeconds(alice.page);
  await toggle(alice, 'Mute');
  await alice.page.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(alice.page.getByRole('status', { name: 'Recording' })).toBeVisible();
  const told = bob.page.getByRole('status').filter({ hasText: 'alice is recording' });
  await expect(told).toBeVisible();
  await recordedFor(alice.page, 2);
  const bobAloneUntil = await clock();
  await toggle(alice, 'Unmute');
  await toggle(bob, 'Mute');
  await expect(alice.page.locator('.muted-flag')).toBeVisible();
  const aliceAloneFrom = (await clock()) + 1.5;
  await recordedFor(alice.page, aliceAloneFrom + 2);
  const aliceAloneUntil = await clock();
  await toggle(alice, 'Mute');
  const silentFrom = (await clock()) + 1.5;
  await recordedFor(alice.page, silentFrom + 2);
  await expect(alice.page.getByLabel('Recording size')).not.toHaveText('0 KB');
  await expect(told).toBeVisible();
  await alice.page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(told).toHaveCount(0);
  await expect(alice.page.getByRole('button', { name: 'Record', exact: true })).toBeVisible();

  expect(await playerDuration(alice.page)).toBeGreaterThanOrEqual(4);
  const file = await downloadFromPlayer(alice, (n) => testInfo.outputPath(n));
  const { streams, duration } = probe(file);
  const video = streams.filter((s) => s.codec_type === 'video');
  const audio = streams.filter((s) => s.codec_type === 'audio');
  expect(video).toHaveLength(1);
  expect(`${video[0].width}x${video[0].height}`).toBe('1280x720');
  expect(audio).toHaveLength(1);
  expect(audio[0].codec_name).toBe('opus');
  expect(Number.isFinite(duration)).toBe(true);
  expect(duration).toBeGreaterThanOrEqual(6);
  // bob's voice alone, alice's alone, then silence (the fake microphones play a loud tone).
  expect(loudest(file, 0.3, bobAloneUntil - 0.3), "bob's voice").toBeGreaterThan(-20);
  expect(loudest(file, aliceAloneFrom, aliceAloneUntil - 0.3), "alice's voice").toBeGreaterThan(-20);
  expect(loudest(file, silentFrom, silentFrom + 1.5), 'both muted').toBeLessThan(-50);
  // The picture is not one flat colour.
  const stats = ffprobe(['-f', 'lavfi', '-i', `movie=${file},select=gte(t\\,3),signalstats`, '-read_intervals', '%+#1',
    '-show_entries', 'frame_tags=lavfi.signalstats.YMIN,lavfi.signalstats.YMAX', '-of', 'csv=p=0']);
  const [ymin, ymax] = stats.trim().split('\n')[0].split(',').map(Number);
  expect(ymax - ymin).toBeGreaterThan(50);
  framesKeepComing(file, 1);
});

test('an audio-only recording has the voices and no picture, and the list plays, downloads and deletes it', async ({ browser, hearth }, testInfo) => {
  const [alice, bob] = await friends(browser, hearth);
  await startCall(alice, bob);
  await alice.page.getByRole('checkbox', { name: 'Audio only' }).check();
  await alice.page.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(alice.page.getByRole('status', { name: 'Recording sound' })).toBeVisible();
  await expect(bob.page.getByRole('status').filter({ hasText: 'alice is recording' })).toBeVisible();
  await recordedFor(alice.page, 3);
  await alice.page.getByRole('button', { name: 'Stop recording' }).click();

  expect(await playerDuration(alice.page)).toBeGreaterThanOrEqual(2);
  const file = await downloadFromPlayer(alice, (n) => testInfo.outputPath(n));
  const { streams, duration } = probe(file);
  expect(streams.map((s) => `${s.codec_type}:${s.codec_name}`)).toEqual(['audio:opus']);
  expect(duration).toBeGreaterThanOrEqual(2);
  expect(loudest(file)).toBeGreaterThan(-20);

  // The list keeps it after the player closes and the call ends, plays it again, and deletes it.
  const player = alice.page.getByRole('dialog', { name: 'Recording' });
  await player.getByRole('button', { name: 'Close' }).click();
  await expect(player).toHaveCount(0);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await alice.page.getByRole('dialog', { name: 'Call ended' }).getByRole('button', { name: 'Close' }).click();
  const list = alice.page.getByRole('region', { name: 'Recordings' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('listitem')).toContainText(/sound · 0:0[2-9]/);
  // The recording lives in the page: closing it asks first (alice stays).
  const leaving: string[] = [];
  alice.page.on('dialog', (d) => leaving.push(d.type()));
  await alice.page.close({ runBeforeUnload: true });
  await expect.poll(() => leaving).toEqual(['beforeunload']);
  expect(alice.page.isClosed()).toBe(false);
  await list.getByRole('button', { name: 'Play' }).click();
  await expect(player).toBeVisible();
  await player.getByRole('button', { name: 'Close' }).click();
  await list.getByRole('button', { name: 'Delete' }).click();
  await expect(list).toHaveCount(0);
  // With nothing left to lose, the page closes without a question.
  await alice.page.close({ runBeforeUnload: true });
  await expect.poll(() => alice.page.isClosed()).toBe(true);
  expect(leaving).toEqual(['beforeunload']);
});

test('a recording goes on across a screen share and back, and the call\'s end stops and saves it', async ({ browser, hearth }, testInfo) => {
  const [alice, bob] = await friends(browser, hearth);
  await startCall(alice, bob);
  await keepsGrowing(async () => (await inbound(alice.page)).framesDecoded, 'alice: frames');
  await alice.page.getByRole('button', { name: 'Record', exact: true }).click();
  await recordedFor(alice.page, 1);
  // Each picture lasts two seconds from when the page shows the switch (a click on a page
  // this busy can take a second or more to land).
  await alice.page.getByRole('button', { name: 'Share screen' }).click();
  await expect(alice.page.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
  await recordedFor(alice.page, (await recordingSeconds(alice.page)) + 2);
  await alice.page.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(alice.page.getByRole('button', { name: 'Share screen' })).toBeVisible();
  await recordedFor(alice.page, (await recordingSeconds(alice.page)) + 2);
  // Hanging up ends the recording too: it is saved, not lost.
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'alice is recording' })).toHaveCount(0);

  const file = await downloadFromPlayer(alice, (n) => testInfo.outputPath(n));
  const { streams, duration } = probe(file);
  expect(streams.filter((s) => s.codec_type === 'video').map((s) => `${s.width}x${s.height}`)).toEqual(['1280x720']);
  expect(streams.filter((s) => s.codec_type === 'audio')).toHaveLength(1);
  expect(duration).toBeGreaterThanOrEqual(4);
  // One continuous picture: frames all the way through, no second without one across the
  // switches (a composite restarted at a switch draws nothing until its pictures have a
  // frame, for up to a second).
  framesKeepComing(file, 1);
  // The picture lasts to the end: hanging up waits for the encoder's last frames.
  expect(pictureEndsEarly(file)).toBeLessThan(0.5);
  // And it shows the switches: bob's camera fills the frame, then bob and alice's screen side
  // by side (black bands above and below), then bob's camera again.
  expect(layouts(file)).toEqual(['picture', 'dark', 'picture']);
});

test('a recording follows a voice call turned into video and a camera turned off', async ({ browser, hearth }, testInfo) => {
  const [alice, bob] = await friends(browser, hearth);
  await startCall(alice, bob, 'Voice call');
  // A voice call offers the sound alone first; this one records the picture too.
  const audioOnly = alice.page.getByRole('checkbox', { name: 'Audio only' });
  await expect(audioOnly).toBeChecked();
  await audioOnly.uncheck();
  await alice.page.getByRole('button', { name: 'Record', exact: true }).click();
  await recordedFor(alice.page, 1);
  await bob.page.getByRole('button', { name: 'Turn on video' }).click();
  await expect(alice.page.getByLabel("Friend's video")).toBeVisible();
  await keepsGrowing(async () => (await inbound(alice.page)).framesDecoded, 'alice: bob\'s new camera');
  await recordedFor(alice.page, (await recordingSeconds(alice.page)) + 2);
  await bob.page.getByRole('button', { name: 'Camera off' }).click();
  await expect(alice.page.getByLabel("bob's camera is off")).toBeVisible();
  await recordedFor(alice.page, (await recordingSeconds(alice.page)) + 2);
  await alice.page.getByRole('button', { name: 'Stop recording' }).click();

  const file = await downloadFromPlayer(alice, (n) => testInfo.outputPath(n));
  framesKeepComing(file, 1);
  // bob's initial on a dark ground, then his camera filling the frame, then his initial again.
  expect(layouts(file)).toEqual(['dark', 'picture', 'dark']);
});
