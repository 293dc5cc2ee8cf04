// An unanswered call ends as missed after the ring timeout (3 s here, 45 s by default) and
// leaves an entry in both conversations.
import { test, expect, friends } from './fixtures';

test.use({ hearthArgs: ['--ring-timeout', '3'] });

test('an unanswered call is missed and recorded on both sides', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await alice.openChat('bob');
  await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call' })).toBeVisible();
  await expect(alice.page.getByRole('dialog', { name: 'Call ended' })).toContainText('No answer');
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call' })).toHaveCount(0);
  await expect(alice.messages().last()).toHaveText('Video call, no answer');
  await bob.page.getByRole('button', { name: 'Close' }).click();
  await expect(bob.friend('alice').locator('[data-unread]')).toHaveText('1');
  await bob.openChat('alice');
  await expect(bob.messages().last()).toHaveText('Missed video call');
});
