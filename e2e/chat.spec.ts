// The foundation's user story: two people sign up, become friends, chat live, and keep
// their history through reloads and being away; log-in failures speak the server's words.
import type { Page } from '@playwright/test';
import { test, expect, Person, friends } from './fixtures';

test('friends chat live, history survives reloads and absence', async ({ browser, hearth }) => {
  const alice = await Person.open(browser, hearth, 'alice');
  const bob = await Person.open(browser, hearth, 'bob');
  await alice.signUp();
  await bob.signUp();

  // A adds B; B sees the request live and accepts.
  await alice.addFriend('bob');
  await expect(alice.page.locator('li.request.outgoing', { hasText: 'bob' })).toBeVisible();
  await bob.accept('alice');

  // Each sees the other online.
  await expect(alice.friend('bob').locator('[data-presence]')).toHaveText('online');
  await expect(bob.friend('alice').locator('[data-presence]')).toHaveText('online');

  // A writes, B sees it live and replies.
  await alice.openChat('bob');
  await bob.openChat('alice');
  await alice.send('Hi Bob, dinner at eight?');
  await expect(bob.messages()).toHaveText(['Hi Bob, dinner at eight?']);
  await bob.send('Sounds good!');
  await expect(alice.messages()).toHaveText(['Hi Bob, dinner at eight?', 'Sounds good!']);
  await expect(alice.page.locator('.msg.mine').last()).toHaveAttribute('data-status', 'read');

  // A reload keeps the history.
  await alice.page.reload();
  await alice.connected();
  await alice.openChat('bob');
  await expect(alice.messages()).toHaveText(['Hi Bob, dinner at eight?', 'Sounds good!']);

  // B closes the page; A sees B go offline and sends three messages.
  await bob.context.close();
  await expect(alice.friend('bob').locator('[data-presence]')).toHaveText('offline');
  for (const text of ['one', 'two', 'three']) await alice.send(text);
  await expect(alice.page.locator('.msg.mine[data-status="sent"]')).toHaveCount(3);

  // B logs in again (a fresh browser context) and finds all three, in order, unread.
  const bobAgain = await Person.open(browser, hearth, 'bob');
  await bobAgain.logIn();
  await expect(bobAgain.friend('alice').locator('[data-unread]')).toHaveText('3');
  await bobAgain.openChat('alice');
  await expect(bobAgain.messages()).toHaveText(['Hi Bob, dinner at eight?', 'Sounds good!', 'one', 'two', 'three']);
  await expect(bobAgain.friend('alice').locator('[data-unread]')).toHaveCount(0);
});

test('chat text is shown as text, never run as HTML', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await alice.openChat('bob');
  await bob.openChat('alice');
  const attack = '<img src=x onerror=alert(1)>';
  await alice.send(attack);
  await expect(bob.messages()).toHaveText([attack]);
  await expect(alice.messages()).toHaveText([attack]);
  // No element was made from the text, and no script ran (it would have opened an alert).
  await expect(bob.page.getByRole('log', { name: 'Messages' }).locator('img')).toHaveCount(0);
  expect(bob.dialogs).toEqual([]);
  expect(alice.dialogs).toEqual([]);
});

/** Reloads `page` with its WebSocket refused (HTTP still works) until `restore()`. */
async function cutOff(page: Page): Promise<{ restore: () => void }> {
  let blocked = true;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (blocked) ws.close({ code: 1011, reason: 'test: network down' });
    else ws.connectToServer();
  });
  await page.reload();
  return { restore: () => { blocked = false; } };
}

test('messages written while disconnected wait in the outbox, survive a reload, then go out', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await bob.openChat('alice');
  // Cut Alice off from the WebSocket (HTTP still works, so the page can reload).
  const network = await cutOff(alice.page);
  await expect(alice.page.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();

  // The friends list comes from the cache; the message waits as "sending".
  await alice.openChat('bob');
  await alice.send('written offline');
  await expect(alice.page.locator('.msg.mine[data-status="sending"] .text')).toHaveText('written offline');

  // It survives a reload while still offline.
  await alice.page.reload();
  await alice.openChat('bob');
  await expect(alice.page.locator('.msg.mine[data-status="sending"] .text')).toHaveText('written offline');
  await expect(bob.messages()).toHaveCount(0);

  // The connection comes back: it goes out once, and Bob gets it live.
  network.restore();
  await alice.connected();
  await expect(bob.messages()).toHaveText(['written offline']);
  await expect(alice.page.locator('.msg.mine[data-status="sending"]')).toHaveCount(0);
  await expect(alice.messages()).toHaveText(['written offline']);
});

test('a long outbox goes out in full even past the server\'s burst for posts', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await bob.openChat('alice');
  const network = await cutOff(alice.page);
  await alice.openChat('bob');
  // More than one connection may post at once (60): the rest are told to wait and resent.
  const texts = Array.from({ length: 75 }, (_, i) => `offline note ${i + 1}`);
  for (const t of texts) await alice.send(t);
  await expect(alice.page.locator('.msg.mine[data-status="sending"]')).toHaveCount(75);
  network.restore();
  await alice.connected();
  await expect(bob.messages()).toHaveText(texts, { timeout: 15_000 });
  await expect(alice.page.locator('.msg.mine[data-status="sending"]')).toHaveCount(0);
});

test("a wrong password and a taken name get the server's words; log out, then log in again", async ({ browser, hearth }) => {
  const alice = await Person.open(browser, hearth, 'alice');
  await alice.signUp();
  await alice.page.getByRole('button', { name: 'Log out' }).click();
  await expect(alice.page.getByRole('button', { name: 'Log in' })).toBeVisible();
  await alice.page.getByLabel('Username').fill('alice');
  await alice.page.getByLabel('Password').fill('not-her-password');
  await alice.page.getByRole('button', { name: 'Log in' }).click();
  await expect(alice.page.getByRole('alert')).toHaveText('wrong username or password');
  await alice.page.getByRole('button', { name: 'Sign up' }).click();
  await expect(alice.page.getByRole('alert')).toHaveText('that username is taken');
  await alice.logIn();
  // The session survives a reload (the cookie, read by /api/me).
  await alice.page.reload();
  await alice.connected();
});
