// Screen sharing in a call: the screen (the fake display, 1920x1080) takes the camera's place
// on the same video track the friend receives, labelled as a screen, and stopping brings the
// camera (1280x720 at most) back. Screenshots: a PNG checked with ffprobe.
import { test, expect, ffprobe, friends, inbound, keepsGrowing, sendsOriginalTracks, startCall } from './fixtures';

test('sharing the screen replaces the camera picture for the friend, and stopping brings it back', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await startCall(alice, bob);
  const remote = bob.page.locator('video.remote');
  const size = () => remote.evaluate((v: HTMLVideoElement) => `${v.videoWidth}x${v.videoHeight}`);
  const trackId = () => remote.evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream).getVideoTracks()[0]?.id);
  await keepsGrowing(async () => (await inbound(bob.page)).framesDecoded, 'bob: camera frames');
  await expect.poll(size).toMatch(/^[1-9]\d*x[1-9]\d*$/);
  expect(await size()).not.toBe('1920x1080');
  const cameraTrack = await trackId();

  await alice.page.getByRole('button', { name: 'Share screen' }).click();
  await expect(alice.page.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
  await expect(alice.page.getByRole('dialog', { name: /^Call with/ }).getByLabel('Your screen')).toBeVisible();
  await expect(bob.page.getByRole('status').filter({ hasText: 'alice is sharing their screen' })).toBeVisible();
  await expect(bob.page.getByLabel("Friend's screen")).toBeVisible();
  await expect.poll(size, { timeout: 20_000 }).toBe('1920x1080');
  // Same receiving track: the picture was replaced on the camera's sender, not added beside it.
  expect(await trackId()).toBe(cameraTrack);
  expect(await sendsOriginalTracks(alice.page)).toBe(true);

  await alice.page.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(alice.page.getByRole('button', { name: 'Share screen' })).toBeVisible();
  await expect(bob.page.getByRole('status').filter({ hasText: 'alice is sharing their screen' })).toHaveCount(0);
  await expect(bob.page.getByLabel("Friend's video")).toBeVisible();
  await expect.poll(size, { timeout: 20_000 }).not.toBe('1920x1080');
  await keepsGrowing(async () => (await inbound(bob.page)).framesDecoded, 'bob: camera frames again');
  expect(await trackId()).toBe(cameraTrack);
  // The screen capture is released.
  const screenStates = await alice.page.evaluate(() =>
    ((window as any).__displayTracks as MediaStreamTrack[] ?? []).map((t) => t.readyState));
  expect(screenStates.length).toBeGreaterThan(0);
  expect(screenStates.every((s) => s === 'ended')).toBe(true);
});

test('in a voice call, sharing adds a picture and stopping returns to voice', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await startCall(alice, bob, 'Voice call');
  await expect(bob.page.getByLabel("alice's camera is off")).toBeVisible();
  await alice.page.getByRole('button', { name: 'Share screen' }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'alice is sharing their screen' })).toBeVisible();
  await keepsGrowing(async () => (await inbound(bob.page)).framesDecoded, 'bob: screen frames');
  await alice.page.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(bob.page.getByLabel("alice's camera is off")).toBeVisible();
  await keepsGrowing(async () => (await inbound(bob.page)).audioPackets, 'bob: voice goes on');
});

test('a screenshot is the friend\'s picture at its native size, as a PNG named for who and when', async ({ browser, hearth }, testInfo) => {
  const [alice, bob] = await friends(browser, hearth);
  await startCall(alice, bob);
  const remote = alice.page.locator('video.remote');
  const size = () => remote.evaluate((v: HTMLVideoElement) => `${v.videoWidth}x${v.videoHeight}`);
  await keepsGrowing(async () => (await inbound(alice.page)).framesDecoded, 'alice: frames');
  // The picture's size changes while the bitrate ramps up: take shots until one is taken
  // while the size holds still, and expect exactly that size.
  const shot = alice.page.locator('figure.shot');
  const img = shot.getByRole('img');
  // Which picture is shown: the data URL's length tells two shots apart.
  const shown = async () => ((await img.count()) ? img.evaluate((i: HTMLImageElement) => i.src.length) : 0);
  let wanted = '';
  for (let attempt = 0; attempt < 5 && !wanted; attempt++) {
    const before = await size();
    const previous = await shown();
    await alice.page.getByRole('button', { name: 'Screenshot', exact: true }).click();
    await expect.poll(shown).not.toBe(previous);
    const taken = (await img.getAttribute('alt'))?.replace('Screenshot, ', '').replace('×', 'x');
    if (taken === before && (await size()) === before) wanted = before;
  }
  expect(wanted, 'a shot taken while the picture size held still').toMatch(/^\d+x\d+$/);
  const [w, h] = wanted.split('x');
  const [download] = await Promise.all([
    alice.page.waitForEvent('download'),
    shot.getByRole('link', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^hearth-bob-\d{4}-\d\d-\d\d-\d{6}\.png$/);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const probe = ffprobe(['-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', file]);
  expect(probe.trim()).toBe(`png,${w},${h}`);
  // Not one flat colour: the darkest and brightest pixels differ by a wide margin.
  const stats = ffprobe(['-f', 'lavfi', '-i', `movie=${file},signalstats`, '-show_entries',
    'frame_tags=lavfi.signalstats.YMIN,lavfi.signalstats.YMAX', '-of', 'csv=p=0']);
  const [ymin, ymax] = stats.trim().split(',').map(Number);
  expect(ymax - ymin).toBeGreaterThan(50);
});
