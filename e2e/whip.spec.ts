// Going live from OBS (issue 13, WHIP, RFC 9725). alice makes a stream key in the room
// ("Stream key", "New stream key") and copies the server URL and the key, as she would into
// OBS (the panel also gives the URL for going live to her friends). A publisher outside any browser (server/examples/whip_media.rs: str0m, sending VP8
// frames that ffmpeg made, and Opus) posts its offer there with the key; this test makes the
// WHIP requests as OBS makes them. bob watches: he decodes its frames and receives its sound,
// sending nothing; alice's page shows her live. DELETE ends it for bob. Once alice revokes
// the key, publishing with it gets 401 and nothing goes live.
import { request } from '@playwright/test';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test, expect, band, keepsGrowing, localTrackStates } from './fixtures';
import { media } from './media_checks';

const publisher = path.resolve(__dirname, '..', 'target', 'release', 'examples', 'whip_media');

/** Starts the publisher on VP8 frames of a test pattern (320x240, 15 a second) and returns
 * it with its offer. */
async function startPublisher(dir: string): Promise<{ proc: ChildProcess; offer: string; lines: AsyncIterableIterator<string> }> {
  const ivf = path.join(dir, 'pattern.ivf');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', '2',
    '-c:v', 'libvpx', '-deadline', 'realtime', '-g', '15', '-b:v', '300k', ivf]);
  const proc = spawn(publisher, [ivf], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  return { proc, offer: JSON.parse(first.value as string), lines };
}

test('a publisher outside the browser goes live with alice\'s stream key; bob watches it; a revoked key gets 401', async ({ browser, hearth }) => {
  test.setTimeout(120_000);
  const [alice, bob] = await band(browser, hearth, ['alice', 'bob'], {}, 'Stage');
  await alice.page.getByRole('button', { name: 'Stream key' }).click();
  const panel = alice.page.getByRole('region', { name: 'Go live from OBS' });
  await panel.getByRole('button', { name: 'New stream key' }).click();
  await expect(panel.getByLabel('Bearer token')).not.toHaveValue('');
  const key = await panel.getByLabel('Bearer token').inputValue();
  const url = await panel.getByLabel('Server').inputValue();
  expect(url).toMatch(new RegExp(`^${hearth.url.replace(/[.]/g, '\\.')}/api/whip/\\d+$`));
  // The URL for going live to her friends instead (server/tests/whip.rs publishes there).
  await expect(panel.getByLabel('Or, to your friends')).toHaveValue(`${hearth.url}/api/whip/friends`);

  // OBS's requests, from outside any browser (the certificate is accepted as OBS's user would).
  const obs = await request.newContext({ ignoreHTTPSErrors: true });
  const pub = await startPublisher(hearth.dataDir);
  try {
    const posted = await obs.post(url, { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/sdp' }, data: pub.offer });
    expect(posted.status(), await posted.text()).toBe(201);
    expect(posted.headers()['content-type']).toBe('application/sdp');
    const session = new URL(posted.headers()['location'], url).toString();
    pub.proc.stdin!.write(JSON.stringify(await posted.text()) + '\n');
    expect((await pub.lines.next()).value).toBe('connected');

    const bar = (p: typeof bob) => p.page.getByRole('status', { name: 'Broadcast' });
    await expect(bar(alice)).toContainText('You are live');
    await expect(bar(bob)).toContainText('alice is live');
    await bar(bob).getByRole('button', { name: 'Watch' }).click();
    await keepsGrowing(async () => (await media(bob.page)).frames, 'bob <- the publisher: video frames');
    await keepsGrowing(async () => (await media(bob.page)).audio, 'bob <- the publisher: audio packets');
    expect((await media(bob.page)).outbound, 'bob sends nothing').toBe(0);
    expect(await localTrackStates(bob.page), 'bob opened no camera or microphone').toEqual([]);
    await expect(bar(alice)).toContainText('1 watching');

    const stopped = await obs.delete(session, { headers: { authorization: `Bearer ${key}` } });
    expect(stopped.status()).toBe(200);
    await expect(bob.page.getByRole('alert').filter({ hasText: 'The broadcast ended.' })).toBeVisible();
    await expect(bar(alice)).toHaveCount(0);
  } finally {
    pub.proc.kill();
  }

  await panel.getByRole('button', { name: 'Revoke' }).click();
  await expect(panel.getByRole('status')).toHaveText('Revoked: no key works now.');
  await expect(panel.getByLabel('Bearer token')).toHaveCount(0);
  const again = await startPublisher(hearth.dataDir);
  try {
    const refused = await obs.post(url, { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/sdp' }, data: again.offer });
    expect(refused.status()).toBe(401);
    await expect(bob.page.getByRole('status', { name: 'Broadcast' })).toHaveCount(0);
  } finally {
    again.proc.kill();
  }
  await obs.dispose();
});
