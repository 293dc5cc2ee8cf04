// Five friends in a room call on a server with `--mesh-max 4`: the first four meet in a
// mesh (three connections each); the fifth's join moves everyone to Hearth's media relay
// (the SFU) with nobody clicking anything. Then every participant decodes frames and
// receives audio from each of the other four over one connection (to the server) with no
// mesh connection left, and the longest frame gap any of the first four saw while the call
// moved is printed and stays under 1 s. One leaves and joins again and gets everyone back.
// The cameras are small (320x240 at 15 fps) so five browsers fit on a small machine.
import { Page } from '@playwright/test';
import { test, expect, Person, makeRoom, openRoom, keepsGrowing } from './fixtures';
import { smallCameras } from './chromium';

test.use({ launchOptions: smallCameras(), hearthArgs: ['--mesh-max', '4'] });

type Received = { frames: number; audio: number };

/** What arrived from each participant shown in the page's call grid (by name): video
 * frames decoded and audio packets received on the tracks their tile plays, on whichever
 * connection carries them. */
async function fromEach(page: Page): Promise<Record<string, Received>> {
  return page.evaluate(async () => {
    const pcs = ((window as any).__pcs as RTCPeerConnection[]).filter((pc) => pc.connectionState !== 'closed');
    const inbound = new Map<string, any>();
    for (const pc of pcs) {
      (await pc.getStats()).forEach((r: any) => { if (r.type === 'inbound-rtp') inbound.set(r.trackIdentifier, r); });
    }
    const out: Record<string, { frames: number; audio: number }> = {};
    for (const v of document.querySelectorAll<HTMLVideoElement>('video.remote:not(.standby)')) {
      const name = (v.getAttribute('aria-label') ?? '').replace(/'s picture$/, '');
      const got = { frames: 0, audio: 0 };
      for (const t of (v.srcObject as MediaStream | null)?.getTracks() ?? []) {
        const r = inbound.get(t.id);
        if (r?.kind === 'video') got.frames += r.framesDecoded ?? 0;
        if (r?.kind === 'audio') got.audio += r.packetsReceived ?? 0;
      }
      out[name] = got;
    }
    return out;
  });
}

/** The page's peer connections that are not closed. */
async function openConnections(page: Page): Promise<number> {
  return page.evaluate(() => ((window as any).__pcs as RTCPeerConnection[]).filter((pc) => pc.connectionState !== 'closed').length);
}

/** `p` sees and hears each of `others`, and keeps doing so. */
async function seesAndHears(p: Person, others: string[]) {
  const grid = p.page.getByRole('region', { name: 'Room call' });
  const shown = grid.locator('figure.tile:not(.mine) figcaption .name');
  await expect.poll(async () => (await shown.allInnerTexts()).sort(), { message: `${p.name} sees ${others}`, timeout: 30_000 })
    .toEqual([...others].sort());
  for (const o of others) {
    await keepsGrowing(async () => (await fromEach(p.page))[o]?.frames ?? 0, `${p.name} <- ${o}: video frames`);
    await keepsGrowing(async () => (await fromEach(p.page))[o]?.audio ?? 0, `${p.name} <- ${o}: audio packets`);
  }
}

/** Starts timing every remote picture's frames (requestVideoFrameCallback on each element
 * of each tile, as they come): per tile, the longest wait between two frames shown in view
 * (a new stream plays unseen in a standby element first; its frames count once shown). */
async function watchFrameGaps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    w.__gaps = {} as Record<string, number>;
    const last: Record<string, number> = {};
    const watched = new WeakSet<HTMLVideoElement>();
    const watch = (v: HTMLVideoElement) => {
      watched.add(v);
      const onFrame = (now: number) => {
        const name = (v.closest('figure') as HTMLElement | null)?.dataset.user;
        if (name && v.isConnected && !v.classList.contains('standby')) {
          w.__gaps[name] = Math.max(w.__gaps[name] ?? 0, now - (last[name] ?? now));
          last[name] = now;
        }
        if (v.isConnected) v.requestVideoFrameCallback(onFrame);
      };
      v.requestVideoFrameCallback(onFrame);
    };
    const scan = () => document.querySelectorAll<HTMLVideoElement>('figure.tile:not(.mine) video').forEach((v) => { if (!watched.has(v)) watch(v); });
    scan();
    setInterval(scan, 20);
  });
}

async function frameGaps(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => (window as any).__gaps);
}

test('a fifth joining moves the call from the mesh to the SFU without a black picture', async ({ browser, hearth }) => {
  test.setTimeout(240_000);
  const names = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const people: Person[] = [];
  for (const name of names) {
    const p = await Person.open(browser, hearth, name);
    await p.signUp();
    people.push(p);
  }
  const [alice, ...friends] = people;
  for (const f of friends) {
    await alice.addFriend(f.name);
    await f.accept('alice');
    await expect(alice.friend(f.name)).toBeVisible();
  }
  await makeRoom(alice, 'Band', friends);
  for (const p of people) await openRoom(p, 'Band');
  const others = (p: Person) => names.filter((n) => n !== p.name);
  const grid = (p: Person) => p.page.getByRole('region', { name: 'Room call' });

  // Four in a mesh: three connections each, media from each.
  const erin = people[4];
  const four = people.slice(0, 4);
  await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
  await erin.page.getByRole('alertdialog', { name: 'Room call ringing' }).getByRole('button', { name: 'Decline' }).click();
  for (const p of four.slice(1)) {
    await p.page.getByRole('alertdialog', { name: 'Room call ringing' }).getByRole('button', { name: 'Join' }).click();
  }
  const fourNames = names.slice(0, 4);
  for (const p of four) {
    await seesAndHears(p, fourNames.filter((n) => n !== p.name));
    expect(await openConnections(p.page), `${p.name}: a mesh of four`).toBe(3);
  }

  // erin joins: everyone moves to the relay, nobody clicks.
  for (const p of four) await watchFrameGaps(p.page);
  const joinedAt = Date.now();
  await erin.page.getByRole('status', { name: 'Room call' }).getByRole('button', { name: 'Join call' }).click();
  await expect.poll(async () => Object.values(await fromEach(erin.page)).filter((r) => r.frames > 0).length,
    { message: 'erin decodes frames from all four', timeout: 30_000 }).toBe(4);
  const joinMs = Date.now() - joinedAt;
  for (const p of people) {
    await expect.poll(() => openConnections(p.page), { message: `${p.name}: one connection, to the server`, timeout: 30_000 }).toBe(1);
    await seesAndHears(p, others(p));
  }
  const gaps = await Promise.all(four.map(async (p) => [p.name, await frameGaps(p.page)] as const));
  const longest = Math.max(...gaps.flatMap(([, g]) => Object.values(g)));
  console.log(`SFU switch: erin decoded all four ${joinMs} ms after "Join call"; longest frame gap ${Math.round(longest)} ms; per viewer ${JSON.stringify(gaps.map(([n, g]) => [n, Object.fromEntries(Object.entries(g).map(([k, v]) => [k, Math.round(v)]))]))}`);
  for (const [viewer, g] of gaps) {
    expect(Object.keys(g), `${viewer} timed every picture`).toEqual(expect.arrayContaining(fourNames.filter((n) => n !== viewer)));
  }
  expect(longest, 'the longest frame gap while the call moved (ms)').toBeLessThan(1000);

  // dave leaves and joins again: he gets everyone back, everyone gets him back.
  const dave = people[3];
  await grid(dave).getByRole('button', { name: 'Leave call' }).click();
  for (const p of people.filter((p) => p !== dave)) {
    await expect(grid(p).locator('figure.tile:not(.mine) figcaption .name')).toHaveText(others(p).filter((n) => n !== 'dave'));
  }
  await dave.page.getByRole('status', { name: 'Room call' }).getByRole('button', { name: 'Join call' }).click();
  for (const p of people) {
    await seesAndHears(p, others(p));
    expect(await openConnections(p.page), `${p.name}: one connection`).toBe(1);
  }
});
