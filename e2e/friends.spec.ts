// Friend requests both ways, removal and typing, each seen live on the other side.
import { test, expect, Person, friends } from './fixtures';

test('a declined request and a removed friend disappear live on both sides', async ({ browser, hearth }) => {
  const alice = await Person.open(browser, hearth, 'alice');
  const bob = await Person.open(browser, hearth, 'bob');
  await alice.signUp();
  await bob.signUp();

  await alice.addFriend('nobody-here');
  await expect(alice.page.getByRole('alert')).toHaveText('no user with that name');

  await alice.addFriend('bob');
  const request = bob.page.locator('li.request.incoming', { hasText: 'alice' });
  await request.getByRole('button', { name: 'Decline' }).click();
  await expect(alice.page.locator('li.request.outgoing')).toHaveCount(0);
  await expect(request).toHaveCount(0);

  await alice.addFriend('bob');
  await bob.accept('alice');
  await alice.openChat('bob');
  await alice.page.getByRole('button', { name: 'Remove friend' }).click();
  await alice.page.getByRole('button', { name: 'Remove bob' }).click();
  await expect(alice.friend('bob')).toHaveCount(0);
  await expect(bob.friend('alice')).toHaveCount(0);
});

test('typing shows on the friend\'s side', async ({ browser, hearth }) => {
  const [alice, bob] = await friends(browser, hearth);
  await alice.openChat('bob');
  await bob.openChat('alice');
  await alice.page.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('Hel');
  await expect(bob.page.getByText('alice is typing…')).toBeVisible();
  // It goes away on its own (5 s after the last keystroke) or when the message arrives.
  await alice.page.getByRole('button', { name: 'Send' }).click();
  await expect(bob.page.getByText('alice is typing…')).toHaveCount(0);
});

test('long history loads newest first, older pages on scroll', async ({ browser, hearth }) => {
  const [alice, bobAway] = await friends(browser, hearth);
  await bobAway.context.close();
  await alice.openChat('bob');
  for (let i = 1; i <= 60; i++) await alice.send(`message ${i}`);
  await expect(alice.page.locator('.msg.mine:not([data-status="sending"])')).toHaveCount(60);

  const bob = await Person.open(browser, hearth, 'bob');
  await bob.logIn();
  await bob.openChat('alice');
  await expect(bob.messages()).toHaveCount(50);
  await expect(bob.messages().first()).toHaveText('message 11');
  await expect(bob.messages().last()).toHaveText('message 60');
  await bob.page.getByRole('log', { name: 'Messages' }).evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
  await expect(bob.messages()).toHaveCount(60);
  await expect(bob.messages().first()).toHaveText('message 1');
  await expect(bob.page.getByRole('button', { name: 'Load older messages' })).toHaveCount(0);
});
