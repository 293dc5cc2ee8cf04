// Simulcast through the relay (issue 12), on a server with `--sfu always`: three friends in
// a room call each send their camera to the relay in two layers (`l` at half size, `h` at
// full size). Bob and carol mute, so alice is the one the relay names as speaker: bob and
// carol then show her large and each other as a thumbnail, and tell the relay so. Each
// receives alice's picture in her high layer and the thumbnail in its sender's low layer
// (getStats: the width of the frames decoded against the width each sender encodes per
// layer). Alice shows both in a grid, both high, or, if the relay named bob or carol as
// speaker before they muted (she keeps the last other speaker large, as a phone does), that
// one large and high and the other a low thumbnail. A sender whose browser stops sending
// its high layer (on a busy machine its uplink estimate can fall) is forwarded in its low
// one meanwhile, as there is no other; alice's high layer must still be seen by bob and
// carol. Carol is on a phone, where the large picture still fits the screen; over https
// too.
import { Page } from '@playwright/test';
import { test, expect, tripCall } from './fixtures';
import { fakeCamera } from './chromium';


test.use({ launchOptions: fakeCamera(640, 480, 15), hearthArgs: ['--sfu', 'always'] });

type Shown = { big: boolean; width: number; lost: number };

/** Per other participant in the page's call grid (by name): whether their tile is the large
 * one, and the width of their frames decoded now. */
async function shown(page: Page): Promise<Record<string, Shown>> {
  return page.evaluate(async () => {
    const pcs = ((window as any).__pcs as RTCPeerConnection[]).filter((pc) => pc.connectionState !== 'closed');
    const inbound = new Map<string, any>();
    for (const pc of pcs) {
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') inbound.set(r.trackIdentifier, r);
      });
    }
    const out: Record<string, { big: boolean; width: number; lost: number }> = {};
    for (const tile of document.querySelectorAll<HTMLElement>('figure.tile:not(.mine)')) {
      const video = tile.querySelector<HTMLVideoElement>('video.remote:not(.standby)');
      const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
      const name = tile.dataset.user ?? '';
      const r = inbound.get(track?.id ?? '');
      out[name] = { big: tile.classList.contains('big'), width: r?.frameWidth ?? 0, lost: r?.packetsLost ?? 0 };
    }
    return out;
  });
}

/** The width the page encodes each layer of its camera at, by rid, on its connection to the
 * relay; 0 for a layer it does not send now (a browser stops sending its high layer when it
 * estimates that its uplink cannot carry it: a busy machine's delays can make it think so). */
async function layers(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const out: Record<string, number> = {};
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'outbound-rtp' && r.kind === 'video' && r.rid) {
          out[r.rid] = (r.framesPerSecond ?? 0) > 0 ? r.frameWidth ?? 0 : 0;
        }
      });
    }
    return out;
  });
}

test('a thumbnail gets its sender\'s low layer and the large picture the high one', async ({ browser, hearth }) => {
  test.setTimeout(120_000);
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  const [alice, bob, carol] = await tripCall(browser, hearth, { carol: phone });
  const grid = (p: typeof alice) => p.page.getByRole('region', { name: 'Room call' });
  for (const p of [bob, carol]) {
    await expect(grid(p).getByRole('button', { name: 'Mute' })).toBeVisible({ timeout: 30_000 });
    await grid(p).getByRole('button', { name: 'Mute' }).click();
  }
  const sent: Record<string, Record<string, number>> = {};
  for (const p of [alice, bob, carol]) {
    await expect.poll(async () => {
      sent[p.name] = await layers(p.page);
      return sent[p.name].l > 0 && sent[p.name].h > sent[p.name].l;
    }, { message: `${p.name} sends two layers`, timeout: 30_000 }).toBe(true);
  }
  console.log(`layers sent (width by rid): ${JSON.stringify(sent)}`);
  // The width each receiver should decode of each sender: the high layer for the large
  // picture and for every picture of a grid (nobody large), the low layer for a thumbnail
  // (and for any picture while its sender sends no high layer: there is none to forward).
  const width = (now: Record<string, Shown>, sender: string): number => {
    const grid = !Object.values(now).some((s) => s.big);
    return (grid || now[sender].big) && sent[sender].h ? sent[sender].h : sent[sender].l;
  };
  for (const viewer of [bob, carol, alice]) {
    await expect.poll(async () => {
      const now = await shown(viewer.page);
      const fresh = await Promise.all([alice, bob, carol].map((p) => layers(p.page)));
      [alice, bob, carol].forEach((p, i) => { sent[p.name] = fresh[i]; });
      const wrong = Object.entries(now).filter(([sender, s]) =>
        !s.width || s.width !== width(now, sender) || (viewer !== alice && s.big !== (sender === 'alice')));
      // Bob and carol show alice large: that is seen at her high layer, not only at a moment
      // she sends none.
      const high = viewer === alice || (sent.alice.h > 0 && now.alice?.width === sent.alice.h);
      return wrong.length === 0 && high && Object.keys(now).length === 2 ? 'as expected' : JSON.stringify({ now, sent });
    }, { message: `${viewer.name}: large at the high layer, thumbnails at the low`, timeout: 30_000 }).toBe('as expected');
    console.log(`${viewer.name} decodes: ${JSON.stringify(await shown(viewer.page))}; sent now: ${JSON.stringify(sent)}`);
  }
  // On carol's phone the large picture fills the width, above the thumbnail, in view.
  const big = grid(carol).locator('figure.tile.big');
  const thumb = grid(carol).locator('figure.tile:not(.big):not(.mine)');
  await expect(big).toBeInViewport();
  const [b, t] = [(await big.boundingBox())!, (await thumb.boundingBox())!];
  expect(b.width, 'the large picture is wider than the thumbnail').toBeGreaterThan(t.width);
  expect(b.x + b.width, 'and fits the screen').toBeLessThanOrEqual(390);
});
