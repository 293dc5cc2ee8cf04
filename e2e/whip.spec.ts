// Going live from OBS (issue 13, WHIP, RFC 9725). alice makes a stream key in the room
// ("Stream key", "New stream key") and copies the server URL and the key, as she would into
// OBS (the panel also gives the URL for going live to her friends). A publisher outside any
// browser (server/examples/whip_media.rs: str0m, sending frames that ffmpeg made, and Opus)
// posts its offer there with the key; this test makes the WHIP requests as OBS makes them.
// - VP8: bob watches: he decodes its frames and receives its sound, sending nothing; alice's
//   page shows her live. DELETE ends it for bob. Once alice revokes the key, publishing with
//   it gets 401 and nothing goes live.
// - H.264 at the High profile without B-frames, what OBS's x264 sends by default: bob and
//   then carol decode it in H.264 at its size, carol coming in between two keyframes.
import { request } from '@playwright/test';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test, expect, band, keepsGrowing, localTrackStates, newStreamKey, Person } from './fixtures';
import { media } from './media_checks';

const publisher = path.resolve(__dirname, '..', 'target', 'release', 'examples', 'whip_media');

/** ffmpeg's options for 2 s of a test pattern (320x240, 15 frames a second) as VP8 in IVF,
 * or as H.264 (x264, High profile, no B-frames, a keyframe a second) in Annex B with a
 * delimiter before each frame. */
const CLIPS = {
  vp8: { file: 'pattern.ivf', codec: ['-c:v', 'libvpx', '-deadline', 'realtime', '-g', '15', '-b:v', '300k'] },
  h264: { file: 'pattern.h264', codec: ['-c:v', 'libx264', '-profile:v', 'high', '-bf', '0', '-g', '15', '-b:v', '300k',
    '-pix_fmt', 'yuv420p', '-bsf:v', 'h264_metadata=aud=insert'] },
};

/** Starts the publisher on a clip and returns it with its offer. */
async function startPublisher(dir: string, clip: keyof typeof CLIPS = 'vp8'): Promise<{ proc: ChildProcess; offer: string; lines: AsyncIterableIterator<string> }> {
  const file = path.join(dir, CLIPS[clip].file);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', '2',
    ...CLIPS[clip].codec, file]);
  const proc = spawn(publisher, [file, '15'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  return { proc, offer: JSON.parse(first.value as string), lines };
}

/** The codec (`video/H264`), the width and the frames decoded of what a page receives. */
async function receivedVideo(page: Person['page']): Promise<{ codec: string; width: number; frames: number }> {
  return page.evaluate(async () => {
    const out = { codec: '', width: 0, frames: 0 };
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((r: any) => {
        if (r.type !== 'inbound-rtp' || r.kind !== 'video' || !r.framesDecoded) return;
        out.codec = stats.get(r.codecId)?.mimeType ?? '';
        out.width = r.frameWidth ?? 0;
        out.frames += r.framesDecoded;
      });
    }
    return out;
  });
}

test('a publisher outside the browser goes live with alice\'s stream key; bob watches it; a revoked key gets 401', async ({ browser, hearth }) => {
  test.setTimeout(120_000);
  const [alice, bob] = await band(browser, hearth, ['alice', 'bob'], {}, 'Stage');
  const { key, url } = await newStreamKey(alice);
  const panel = alice.page.getByRole('region', { name: 'Go live from OBS' });
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

test('a publisher sending H.264 as OBS does by default goes live; bob and carol decode it', async ({ browser, hearth }) => {
  test.setTimeout(120_000);
  const [alice, bob, carol] = await band(browser, hearth, ['alice', 'bob', 'carol'], {}, 'Stage');
  const { key, url } = await newStreamKey(alice);
  const obs = await request.newContext({ ignoreHTTPSErrors: true });
  const pub = await startPublisher(hearth.dataDir, 'h264');
  try {
    const posted = await obs.post(url, { headers: { authorization: `Bearer ${key}`, 'content-type': 'application/sdp' }, data: pub.offer });
    expect(posted.status(), await posted.text()).toBe(201);
    pub.proc.stdin!.write(JSON.stringify(await posted.text()) + '\n');
    expect((await pub.lines.next()).value).toBe('connected');

    const bar = (p: Person) => p.page.getByRole('status', { name: 'Broadcast' });
    for (const viewer of [bob, carol]) {
      await expect(bar(viewer)).toContainText('alice is live');
      await bar(viewer).getByRole('button', { name: 'Watch' }).click();
      await keepsGrowing(async () => (await receivedVideo(viewer.page)).frames, `${viewer.name} <- the publisher: H.264 frames`);
      await keepsGrowing(async () => (await media(viewer.page)).audio, `${viewer.name} <- the publisher: audio packets`);
      const video = await receivedVideo(viewer.page);
      expect(video.codec, `${viewer.name} decodes what x264 made`).toBe('video/H264');
      expect(video.width).toBe(320);
      expect((await media(viewer.page)).outbound, `${viewer.name} sends nothing`).toBe(0);
    }
    await expect(bar(alice)).toContainText('2 watching');
  } finally {
    pub.proc.kill();
  }
  await obs.dispose();
});
