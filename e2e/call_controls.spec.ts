// In-call controls beyond the basics: the quality indicator and its details, switching the
// microphone without renegotiating, and the audio processing settings.
import { test, expect, friends, inbound, keepsGrowing, localTrackStates, startCall as videoCall } from './fixtures';

test('the quality indicator shows live round-trip time, bitrate and a chart', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await videoCall(alice, bob);
  const indicator = alice.page.getByRole('button', { name: /^Connection quality: Good/ });
  await expect(indicator).toBeVisible();
  await indicator.click();
  const details = alice.page.getByRole('group', { name: 'Call details' });
  await expect(details.locator('[data-stat="rtt"]')).toHaveText(/^\d+ ms$/);
  await expect.poll(async () => parseInt(await details.locator('[data-stat="in"]').innerText(), 10)).toBeGreaterThan(50);
  await expect.poll(async () => parseInt(await details.locator('[data-stat="out"]').innerText(), 10)).toBeGreaterThan(50);
  const points = () => details.locator('polyline.bitrate').getAttribute('points').then((p) => (p ?? '').split(' ').filter(Boolean).length);
  await expect.poll(points, { message: 'the chart grows by a point a second' }).toBeGreaterThan(2);
});

test('switching the microphone replaces the track without renegotiating', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await videoCall(alice, bob);
  await keepsGrowing(async () => (await inbound(bob.page)).audioPackets, 'bob: audio packets');
  const descriptions = () => alice.page.evaluate(() => (window as any).__descriptions as number);
  const before = await descriptions();
  const picker = alice.page.getByLabel('Microphone');
  await picker.selectOption({ label: 'Fake Audio Input 2' });
  // The old microphone track is released, the new one is live.
  await expect.poll(async () => (await localTrackStates(alice.page)).filter((s) => s === 'ended').length).toBeGreaterThan(0);
  await expect(picker).toHaveValue(await picker.locator('option', { hasText: 'Fake Audio Input 2' }).getAttribute('value') ?? '');
  await keepsGrowing(async () => (await inbound(bob.page)).audioPackets, 'bob: audio packets after the switch');
  expect(await descriptions()).toBe(before);
});

test('audio processing settings apply to the next call', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await alice.page.getByRole('button', { name: 'Settings' }).click();
  const echo = alice.page.getByLabel('Echo cancellation');
  await expect(echo).toBeChecked();
  await echo.uncheck();
  await alice.page.getByLabel('Noise suppression').uncheck();
  await alice.page.reload();
  await alice.connected();
  await alice.page.getByRole('button', { name: 'Settings' }).click();
  await expect(alice.page.getByLabel('Echo cancellation')).not.toBeChecked();
  await expect(alice.page.getByLabel('Automatic gain control')).toBeChecked();
  await alice.page.getByRole('button', { name: 'Settings' }).click();

  await videoCall(alice, bob);
  const settings = await alice.page.evaluate(() => {
    const streams = (window as any).__streams as MediaStream[];
    const t = streams[streams.length - 1].getAudioTracks()[0].getSettings();
    return { echo: t.echoCancellation, noise: t.noiseSuppression, gain: t.autoGainControl };
  });
  expect(settings).toEqual({ echo: false, noise: false, gain: true });
});
