// Five friends in a room call on a server with `--mesh-max 4`: the first four meet in a
// mesh (three connections each); the fifth's join moves everyone to Hearth's media relay
// (the SFU) with nobody clicking anything. Then every participant decodes frames and
// receives audio from each of the other four over one connection (to the server) with no
// mesh connection left; no picture went black (each came into view from the relay only
// with a frame to show); and the longest frame gap any of the first four saw while the
// call moved (from before the join until no mesh connection is left; e2e/frame_gaps.js:
// frames the compositor presented) is printed beside the mesh's before it. Its 1 s budget
// is bench/sfu_switch.mjs's: on two cores shared by five browsers it was 0.6-1.2 s here
// (a timing, not a behaviour: asserted, it failed one run in three).
// One leaves and joins again and gets everyone back. Bob and dave are on phones and the
// others in 800x600 windows: people call from phones too, and a smaller page costs this
// machine's software compositing half what a 1280x720 one does.
// With `--sfu always`, a room call of three is on the relay from the first join: nobody ever
// makes a mesh connection; when the server restarts (the relay with it), everyone sees
// and hears everyone again without doing anything; and a member whose network lets only
// the TURN relay through reaches the SFU through it (and, on a server with no TURN relay, is
// shown "Connecting…" to everyone, herself included, not as a silent tile). The cameras
// are small (320x240 at 10 fps) so five browsers fit on a small machine (at 15 fps they
// starved each other's main threads on two cores).
import fs from 'node:fs';
import path from 'node:path';
import { Browser, Page } from '@playwright/test';
import { test, expect, Person, Hearth, OpenOptions, band, freePort, keepsGrowing, selectedPair, tripCall } from './fixtures';
import { fakeCamera } from './chromium';

test.use({ launchOptions: fakeCamera(320, 240, 10) });

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

/** From now on, when (`Date.now()`) the page closes each of its peer connections, and in
 * which task: `told` while it handles a `sees_via_sfu` from the server, `shown` while it
 * brings a picture into view (sets a `<video>`'s class), `other` otherwise (a timer). */
async function timeCloses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    w.__closedAt = [];
    w.__closing = null;
    // Each tag lasts to the end of its task: the app handles a frame, and brings a picture
    // into view, synchronously.
    const during = (why: string) => {
      if (w.__closing) return;
      w.__closing = why;
      queueMicrotask(() => { w.__closing = null; });
    };
    const data = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!;
    Object.defineProperty(MessageEvent.prototype, 'data', {
      ...data,
      get(this: MessageEvent) {
        const got = data.get!.call(this);
        if (this.target instanceof WebSocket && typeof got === 'string' && got.includes('"sees_via_sfu"')) during('told');
        return got;
      },
    });
    const className = Object.getOwnPropertyDescriptor(Element.prototype, 'className')!;
    Object.defineProperty(Element.prototype, 'className', {
      ...className,
      set(this: Element, value: string) {
        if (this.tagName === 'VIDEO') during('shown');
        className.set!.call(this, value);
      },
    });
    const close = RTCPeerConnection.prototype.close;
    RTCPeerConnection.prototype.close = function (this: RTCPeerConnection) {
      if (this.connectionState !== 'closed') w.__closedAt.push({ at: Date.now(), why: w.__closing ?? 'other' });
      return close.call(this);
    };
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

/** `p` sees and hears each of `others` again after the server restarted: each count grows
 * from one reading to the next, on whichever stream the tile plays (a new connection's
 * counts start again from zero). */
async function seesAndHearsAgain(p: Person, others: string[]) {
  for (const o of others) {
    for (const what of ['frames', 'audio'] as const) {
      let last = -1;
      await expect.poll(async () => {
        const now = (await fromEach(p.page))[o]?.[what] ?? 0;
        const grew = last >= 0 && now > last;
        last = now;
        return grew;
      }, { message: `${p.name} <- ${o}: ${what} again`, timeout: 30_000, intervals: [500] }).toBe(true);
    }
  }
}

/** Starts timing every remote picture's frames: see e2e/frame_gaps.js. */
async function watchFrameGaps(page: Page): Promise<void> {
  await page.evaluate(fs.readFileSync(path.join(__dirname, 'frame_gaps.js'), 'utf8'));
  await page.evaluate(() => (window as any).__watchFrameGaps());
}

type Gaps = { gaps: Record<string, number>; late: Record<string, number> };

/** Per participant shown since the watch began (or since the last take), the longest time
 * without a new frame presented, and the longest wait between two frame callbacks
 * (main-thread delays included); the timing starts again. */
async function takeFrameGaps(page: Page): Promise<Gaps> {
  return page.evaluate(() => (window as any).__takeFrameGaps());
}

const longestOf = (seen: Gaps[], key: keyof Gaps) => Math.max(...seen.flatMap((g) => Object.values(g[key])));

const grid = (p: Person) => p.page.getByRole('region', { name: 'Room call' });
const ringing = (p: Person) => p.page.getByRole('alertdialog', { name: 'Room call ringing' });

test.describe('with --mesh-max 4', () => {
test.use({ hearthArgs: ['--mesh-max', '4'] });

test('a fifth joining moves the call from the mesh to the SFU without a black picture', async ({ browser, hearth }) => {
  test.setTimeout(240_000);
  const names = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  const laptop = { viewport: { width: 800, height: 600 } };
  const people = await band(browser, hearth, names, { alice: laptop, bob: phone, carol: laptop, dave: phone, erin: laptop });
  const alice = people[0];
  const others = (p: Person) => names.filter((n) => n !== p.name);

  // Four in a mesh: three connections each, media from each.
  const erin = people[4];
  const four = people.slice(0, 4);
  await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
  await ringing(erin).getByRole('button', { name: 'Decline' }).click();
  for (const p of four.slice(1)) await ringing(p).getByRole('button', { name: 'Join' }).click();
  const fourNames = names.slice(0, 4);
  for (const p of four) {
    await expect.poll(() => openConnections(p.page), { message: `${p.name}: a mesh of four` }).toBe(3);
    await watchFrameGaps(p.page);
  }
  for (const p of four) {
    await seesAndHears(p, fourNames.filter((n) => n !== p.name));
    expect(await openConnections(p.page), `${p.name}: a mesh of four`).toBe(3);
  }
  // The frame gaps of the mesh alone: what this machine shows with nothing moving.
  const before = await Promise.all(four.map((p) => takeFrameGaps(p.page)));

  // erin joins: everyone moves to the relay, nobody clicks.
  for (const p of four) await timeCloses(p.page);
  const joinedAt = Date.now();
  await erin.page.getByRole('status', { name: 'Room call' }).getByRole('button', { name: 'Join call' }).click();
  await expect.poll(async () => Object.values(await fromEach(erin.page)).filter((r) => r.frames > 0).length,
    { message: 'erin decodes frames from all four', timeout: 30_000 }).toBe(4);
  const joinMs = Date.now() - joinedAt;
  for (const p of people) {
    await expect.poll(() => openConnections(p.page), { message: `${p.name}: one connection, to the server`, timeout: 30_000 }).toBe(1);
  }
  // The move is over (no mesh connection is left): the gaps so far are the ones it caused.
  // Those after it would count the checks below, which ask every page for its statistics
  // many times a second; on a small machine that costs frames of its own.
  const seen = await Promise.all(four.map((p) => takeFrameGaps(p.page)));
  for (const p of people) await seesAndHears(p, others(p));
  const gaps = four.map((p, i) => [p.name, seen[i].gaps] as const);
  const longest = longestOf(seen, 'gaps');
  const ms = (v: number) => `${Math.round(v)} ms`;
  const rounded = (g: Record<string, number>) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, Math.round(v)]));
  console.log(`SFU switch: erin decoded all four ${joinMs} ms after "Join call"; longest frame gap ${ms(longest)} `
    + `(longest wait between frame callbacks ${ms(longestOf(seen, 'late'))}); in the mesh before: ${ms(longestOf(before, 'gaps'))} `
    + `(callbacks ${ms(longestOf(before, 'late'))}); per viewer ${JSON.stringify(gaps.map(([n, g]) => [n, rounded(g)]))}`);
  for (const [viewer, g] of gaps) {
    expect(Object.keys(g), `${viewer} timed every picture`).toEqual(expect.arrayContaining(fourNames.filter((n) => n !== viewer)));
  }
  // No picture went black: each of the mesh's came into view from the relay's stream only
  // once that stream had a frame to show. How long the pictures stalled while five
  // browsers share two cores is this machine's as much as Hearth's: printed above, and
  // held to its 1 s budget by bench/sfu_switch.mjs beside the mesh's own gaps.
  const brought = await Promise.all(four.map((p) => p.page.evaluate(() => (window as any).__broughtIntoView as { name: string; ready: boolean; at: number }[])));
  for (const [i, p] of four.entries()) {
    const shown = brought[i].map((b) => b.name);
    expect(shown, `${p.name}: each picture from the mesh came into view from the relay's stream`)
      .toEqual(expect.arrayContaining(fourNames.filter((n) => n !== p.name)));
    expect(brought[i].filter((b) => !b.ready), `${p.name}: no picture came into view before it had a frame`).toEqual([]);
  }

  // Each pair's mesh connection closed once both showed each other from the relay (each
  // tells the other, `sees_via_sfu`), not at the 10 s fallback (while it lasts, both encode
  // and decode twice), and not before: until both tiles show the relay's picture, one still
  // shows the one the mesh connection carries, which would freeze. So each close comes as
  // this side hears that the other shows it, or as it brings the other's picture into view,
  // whichever is last. Each closes after its pair brought each other into view, so the n-th
  // close comes after the n-th such pair (the first time each picture came into view since
  // erin's join: the relay's stream may be replaced later).
  const closed = await Promise.all(four.map((p) => p.page.evaluate(() => (window as any).__closedAt as { at: number; why: string }[])));
  const inView = brought.map((b) => Object.fromEntries(b.filter((e) => e.at >= joinedAt).reverse().map((e) => [e.name, e.at])));
  const lateness: number[] = [];
  for (const [i, p] of four.entries()) {
    expect(closed[i].length, `${p.name} closed its three mesh connections`).toBe(3);
    expect(closed[i].map((c) => c.why), `${p.name}: each mesh connection closed as both sides showed each other from the relay, not on a timer`)
      .toEqual(closed[i].map(() => expect.stringMatching(/^(told|shown)$/)));
    const pairs = four.filter((o) => o !== p).map((o) => Math.max(inView[i][o.name], inView[four.indexOf(o)][p.name])).sort((a, b) => a - b);
    // A picture that never came into view from the relay would leave nothing to compare.
    expect(pairs.filter((t) => !Number.isFinite(t)), `${p.name}: each pair brought each other into view since erin's join`).toEqual([]);
    const after = closed[i].map((c) => c.at).sort((a, b) => a - b).map((c, k) => c - pairs[k]);
    lateness.push(...after);
    expect(after.filter((d) => d < -100), `${p.name}: no mesh connection closed before both sides showed each other from the relay (ms)`).toEqual([]);
  }
  console.log(`mesh connections closed ${Math.min(...lateness)} to ${Math.max(...lateness)} ms after both sides showed each other from the relay`);

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
});

test.describe('with --sfu always', () => {
test.use({ hearthArgs: ['--sfu', 'always'] });

test('a room call starts on the SFU: one connection each from the first join, media from everyone', async ({ browser, hearth }) => {
  test.setTimeout(120_000);
  const names = ['alice', 'bob', 'carol'];
  const people = await tripCall(browser, hearth);
  for (const p of people) {
    await seesAndHears(p, names.filter((n) => n !== p.name));
    const made = await p.page.evaluate(() => ((window as any).__pcs as RTCPeerConnection[]).length);
    expect(made, `${p.name} never made a mesh connection: one connection, to the server`).toBe(1);
  }
});

test('restarting the server during a call on the relay: everyone sees and hears everyone again by themselves', async ({ browser, hearth }) => {
  test.setTimeout(150_000);
  const names = ['alice', 'bob', 'carol'];
  const people = await tripCall(browser, hearth);
  for (const p of people) await seesAndHears(p, names.filter((n) => n !== p.name));
  const lost = (p: Person) => grid(p).getByRole('status').filter({ hasText: 'Server connection lost; the call goes on' });

  await hearth.kill(); // the relay, and every connection to it, with it
  for (const p of people) await expect(lost(p)).toBeVisible();
  await hearth.start(); // the same port and data folder: the server has forgotten the call
  const restarted = Date.now();
  for (const p of people) {
    await expect(lost(p), `${p.name} is back with the server`).toHaveCount(0, { timeout: 30_000 });
    await seesAndHearsAgain(p, names.filter((n) => n !== p.name));
    expect(await openConnections(p.page), `${p.name}: one connection, to the server`).toBe(1);
  }
  console.log(`server restart on the relay: media from everyone again ${Date.now() - restarted} ms after it came back`);
});
});

test.describe('with --sfu always and its own TURN relay', () => {
  test.use({
    hearthArgs: async ({}, use) => {
      await use(['--sfu', 'always', '--coturn', '--coturn-allow-loopback', '--coturn-port', String(await freePort())]);
    },
  });

  // Carol's network lets nothing through but the TURN relay (a strict office firewall):
  // her connection to the SFU goes through coturn, and the call is the same for everyone.
  test('a member who can only use the TURN relay reaches the SFU through it', async ({ browser, hearth }) => {
    test.setTimeout(120_000);
    const names = ['alice', 'bob', 'carol'];
    const people = await tripCall(browser, hearth, { carol: { forceRelay: true } });
    for (const p of people) {
      await seesAndHears(p, names.filter((n) => n !== p.name));
      expect(await openConnections(p.page), `${p.name}: one connection, to the server`).toBe(1);
    }
    expect(await selectedPair(people[2].page), "carol's connection to the SFU").toEqual({ local: 'relay', remote: 'host' });
    expect((await selectedPair(people[0].page)).local, "alice's connection to the SFU").not.toBe('relay');
  });
});

test.describe('with --sfu always and no TURN relay', () => {
  test.use({ hearthArgs: ['--sfu', 'always'] });

  // Carol's network lets nothing through but a TURN relay, and this server has none: her
  // connection to the SFU can never come up. Everyone's connection to the SFU is up but
  // hers, so nothing of hers ever arrives: her tile must say so, not sit there looking
  // connected with a picture that never comes and no sound. And she must see that she is
  // not connected to anyone.
  test('a member who cannot reach the SFU shows as connecting, to the others and to herself', async ({ browser, hearth }) => {
    test.setTimeout(120_000);
    // Bob and carol on phones: the words go on a small tile too.
    const phone = { viewport: { width: 390, height: 844 } };
    const [alice, bob, carol] = await tripCall(browser, hearth, { bob: phone, carol: { ...phone, forceRelay: true } });
    const tileOf = (p: Person, name: string) => grid(p).locator(`figure.tile[data-user="${name}"]`);
    const connecting = (p: Person, name: string) => tileOf(p, name).getByText('Connecting…');
    for (const [p, other] of [[alice, bob], [bob, alice]] as const) {
      await keepsGrowing(async () => (await fromEach(p.page))[other.name]?.frames ?? 0, `${p.name} <- ${other.name}: video frames`);
      await expect(connecting(p, other.name), `${p.name} sees ${other.name} connected`).toHaveCount(0);
      await expect(tileOf(p, 'carol'), `${p.name} sees carol`).toBeVisible();
    }
    // Media from bob to alice (and back) kept flowing meanwhile: their connections to the
    // SFU are up; carol's tile says she is not there yet.
    for (const p of [alice, bob]) {
      await expect(tileOf(p, 'carol'), `${p.name}'s tile of carol waits`).toHaveClass(/\bwaiting\b/);
      await expect(connecting(p, 'carol'), `${p.name} is told carol is connecting`).toBeVisible();
      await expect(connecting(p, 'carol'), `${p.name} sees it whole`).toBeInViewport({ ratio: 1 });
      expect((await fromEach(p.page)).carol ?? { frames: 0, audio: 0 }, `nothing of carol's reached ${p.name}`)
        .toEqual({ frames: 0, audio: 0 });
    }
    for (const name of ['alice', 'bob']) {
      await expect(connecting(carol, name), `carol is told she is not connected to ${name}`).toBeVisible();
      await expect(connecting(carol, name), `carol sees it whole on her phone`).toBeInViewport({ ratio: 1 });
      await expect(grid(carol).getByRole('button', { name: `Screenshot of ${name}` }), 'no screenshot of a picture that never came')
        .toHaveCount(0);
    }
    // After 15 s with no connection to the relay, carol is told why, on her phone's screen;
    // alice and bob, whose connections are up, are not.
    const why = (p: Person) => p.page.getByRole('alert').filter({ hasText: "Cannot reach the server's media relay" });
    await expect(why(carol), 'carol is told why no one reaches her').toBeVisible({ timeout: 30_000 });
    await expect(why(carol), 'carol sees it whole on her phone').toBeInViewport({ ratio: 1 });
    for (const p of [alice, bob]) await expect(why(p), `${p.name} is not told so`).toHaveCount(0);
  });
});
