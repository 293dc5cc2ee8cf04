// Hearth on phones: at 360x640 and 390x844 (a mobile viewport with touch) no page scrolls
// sideways, and the buttons a person needs are on screen: log-in, the friends list, making a
// room and a room with its members, a conversation, an incoming call, a call in progress, the
// recording player, and a room call (its ring and its grid).
import { Locator, Page } from '@playwright/test';
import { test, expect, Person, Hearth, startCall, mediaFlowsBothWays } from './fixtures';

/** The page is no wider than the screen. (Not `innerWidth`: on a phone the layout viewport
 * grows to fit content that is too wide, and `innerWidth` with it.) */
async function fitsWidth(page: Page, what: string) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    inner: document.documentElement.clientWidth,
  }));
  expect(scroll, `${what}: page width ${scroll} within the screen's ${inner}`).toBeLessThanOrEqual(inner);
}

/** Every one of `buttons` is wholly on screen. */
async function onScreen(what: string, ...buttons: Locator[]) {
  for (const b of buttons) await expect(b, what).toBeInViewport({ ratio: 1 });
}

/** Two boxes do not overlap. */
function apart(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
}

async function phone(browser: import('@playwright/test').Browser, hearth: Hearth, name: string, width: number, height: number) {
  return Person.open(browser, hearth, name, { viewport: { width, height }, isMobile: true, hasTouch: true });
}

for (const [width, height] of [[360, 640], [390, 844]]) {
  test(`at ${width}x${height} every page fits the screen and its buttons are on it`, async ({ browser, hearth }) => {
    const alice = await phone(browser, hearth, 'alice', width, height);
    const bob = await phone(browser, hearth, 'bob', width, height);
    const btn = (p: Person, name: string) => p.page.getByRole('button', { name, exact: true });

    await fitsWidth(alice.page, 'log-in');
    await onScreen('log-in', btn(alice, 'Log in'), btn(alice, 'Sign up'));
    await alice.signUp();
    await bob.signUp();
    await alice.addFriend('bob');
    await bob.accept('alice');
    await expect(alice.friend('bob')).toBeVisible();
    await fitsWidth(alice.page, 'friends list');
    await onScreen('friends list', btn(alice, 'Add friend'), alice.friend('bob'));
    await btn(alice, 'Settings').click();
    await btn(alice, 'Test connection').click();
    await expect(alice.page.locator('.conn-test .verdict')).toBeVisible();
    await fitsWidth(alice.page, 'settings and the connection test');
    await onScreen('settings', btn(alice, 'Test connection'));
    await btn(alice, 'Settings').click();

    // A room: the form that makes it, then the room with its members shown.
    await btn(alice, 'New room').click();
    await alice.page.getByLabel('Room name').fill('Trip with a rather long name for a small screen');
    await alice.page.getByRole('checkbox', { name: 'bob' }).check();
    await fitsWidth(alice.page, 'the new room form');
    await onScreen('the new room form', btn(alice, 'Create room'));
    await btn(alice, 'Create room').click();
    await alice.page.getByRole('list', { name: 'Rooms list' }).getByRole('button', { name: /^Trip/ }).click();
    await btn(alice, 'Members').click();
    await fitsWidth(alice.page, 'a room with its members');
    // (No "Add member" here: bob, alice's only friend, is in the room already.)
    await onScreen('a room', btn(alice, 'Send'), btn(alice, 'Rename'), btn(alice, 'Remove'), btn(alice, 'Leave room'));
    await btn(alice, 'Back to friends').click();

    await alice.openChat('bob');
    await bob.openChat('alice');
    await alice.send('A long word: Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft, and a link https://example.com/a/very/long/path/that/does/not/break/anywhere/at/all');
    await expect(bob.messages()).toHaveCount(1);
    await bob.send('ok');
    await expect(alice.messages()).toHaveCount(2);
    for (const p of [alice, bob]) {
      await fitsWidth(p.page, `${p.name}'s conversation`);
      await onScreen('conversation', btn(p, 'Send'), btn(p, 'Voice call'), btn(p, 'Video call'), btn(p, 'Remove friend'));
      await onScreen('own message', p.page.locator('.msg.mine').last());
    }

    await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
    const incoming = bob.page.getByRole('alertdialog', { name: 'Incoming call' });
    await expect(incoming).toBeVisible();
    await fitsWidth(bob.page, 'incoming call');
    await onScreen('incoming call', incoming.getByRole('button', { name: 'Accept' }), incoming.getByRole('button', { name: 'Decline' }));
    await incoming.getByRole('button', { name: 'Accept' }).click();
    await expect(alice.page.locator('.call.active')).toHaveAttribute('data-phase', 'active');
    await mediaFlowsBothWays(alice, bob);
    for (const p of [alice, bob]) {
      await fitsWidth(p.page, `${p.name}'s call`);
      const call = p.page.locator('.call.active');
      const controls = call.locator('.controls');
      await onScreen('call', btn(p, 'Hang up'), btn(p, 'Mute'), btn(p, 'Camera off'));
      // The controls form a bar at the bottom; the picture fills most of what is left; the
      // own preview stays clear of the controls.
      const bar = (await controls.boundingBox())!;
      expect(height - (bar.y + bar.height), 'controls at the bottom').toBeLessThan(24);
      const stage = (await call.locator('.stage').boundingBox())!;
      expect(stage.height, 'the picture gets most of the height').toBeGreaterThan(height * 0.45);
      expect(stage.width).toBeGreaterThan(width * 0.9);
      const preview = (await call.getByLabel('Your video').boundingBox())!;
      expect(apart(preview, bar), 'the own preview does not cover the controls').toBe(true);
    }

    await btn(alice, 'Record').click();
    await expect(btn(alice, 'Stop recording')).toBeVisible();
    await fitsWidth(alice.page, 'recording');
    await onScreen('recording', btn(alice, 'Stop recording'), btn(alice, 'Hang up'));
    // Some seconds of recording, as a person makes (a recording stopped within a fraction of
    // a second may hold nothing to save; then the player says so instead).
    await expect(alice.page.getByRole('timer', { name: 'Recording time' })).toHaveText(/^0:0[2-9]$/);
    await btn(alice, 'Stop recording').click();
    const player = alice.page.getByRole('dialog', { name: 'Recording' });
    await expect(player).toBeVisible();
    await fitsWidth(alice.page, 'recording player');
    await onScreen('recording player', player.getByRole('link', { name: 'Download' }), player.getByRole('button', { name: 'Close' }));
    await player.getByRole('button', { name: 'Close' }).click();
    await btn(alice, 'Hang up').click();
    await expect(bob.page.getByRole('dialog', { name: 'Call ended' })).toBeVisible();
    await fitsWidth(bob.page, 'call ended');
    await bob.page.getByRole('dialog', { name: 'Call ended' }).getByRole('button', { name: 'Close' }).click();

    // A room call: the ring, then the grid with a tile each and its buttons, all on screen.
    await btn(alice, 'Back to friends').click();
    await alice.page.getByRole('list', { name: 'Rooms list' }).getByRole('button', { name: /^Trip/ }).click();
    await btn(alice, 'Video call').click();
    const ring = bob.page.getByRole('alertdialog', { name: 'Room call ringing' });
    await expect(ring).toBeVisible();
    await fitsWidth(bob.page, 'a room call ringing');
    await onScreen('a room call ringing', ring.getByRole('button', { name: 'Join' }), ring.getByRole('button', { name: 'Decline' }));
    await ring.getByRole('button', { name: 'Join' }).click();
    for (const p of [alice, bob]) {
      const tiles = p.page.getByRole('region', { name: 'Room call' }).locator('figure.tile');
      await expect(tiles).toHaveCount(2);
      await fitsWidth(p.page, `${p.name}'s room call`);
      const other = p === alice ? 'bob' : 'alice';
      await onScreen('room call', ...await tiles.all(), btn(p, 'Mute'), btn(p, 'Camera off'), btn(p, 'Record'),
        btn(p, `Screenshot of ${other}`), btn(p, 'Leave call'));
    }
  });
}
