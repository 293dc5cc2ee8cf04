// Screen sharing in a call: the screen (the fake display, 1920x1080) takes the camera's place
// on the same video track the friend receives, labelled as a screen, and stopping brings the
// camera (1280x720 at most) back.
import { test, expect, friends, inbound, keepsGrowing, sendsOriginalTracks, startCall } from './fixtures';

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
