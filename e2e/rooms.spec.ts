// Rooms: a person makes a room with some friends, everyone in it chats and sees who wrote
// what, the owner removes and adds members (a newcomer sees only what comes after), and a
// member leaves; each change shows at once on every side.
import { test, expect, Person, aliceAndFriends, makeRoom, roomsList, openRoom } from './fixtures';

/** The authors shown on others' messages, and every text, oldest first. */
async function seen(p: Person) {
  return p.page.getByRole('log', { name: 'Messages' }).locator('.msg').evaluateAll((els) =>
    els.map((e) => `${e.querySelector('.author')?.textContent ?? 'me'}: ${e.querySelector('.text')?.textContent}`));
}

test('a room chats among its members, with names, and follows removals, additions and leaving', async ({ browser, hearth }) => {
  const [alice, bob, carol] = await aliceAndFriends(browser, hearth);

  // alice makes "Trip" with both.
  await alice.page.getByRole('button', { name: 'New room' }).click();
  await alice.page.getByLabel('Room name').fill('Trip');
  await alice.page.getByRole('checkbox', { name: 'bob' }).check();
  await alice.page.getByRole('checkbox', { name: 'carol' }).check();
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  for (const p of [alice, bob, carol]) {
    await expect(roomsList(p).getByRole('button', { name: /^Trip/ })).toContainText('3 people');
  }

  // Everyone writes; everyone sees every message, with its author's name.
  for (const p of [alice, bob, carol]) await openRoom(p, 'Trip');
  await alice.send('Train at nine?');
  await expect.poll(() => seen(bob)).toEqual(['alice: Train at nine?']);
  // Typing is named in a room: the others see who it is.
  await bob.page.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('Ye');
  await expect(carol.page.getByText('bob is typing…')).toBeVisible();
  await bob.send('Yes');
  await expect(carol.page.getByText('bob is typing…')).toHaveCount(0);
  await expect.poll(() => seen(carol)).toEqual(['alice: Train at nine?', 'bob: Yes']);
  await carol.send('I bring snacks');
  await expect.poll(() => seen(alice)).toEqual(['me: Train at nine?', 'bob: Yes', 'carol: I bring snacks']);

  // The owner removes carol: her room goes away at once, and she gets nothing more.
  await alice.page.getByRole('button', { name: 'Members' }).click();
  const members = alice.page.getByRole('region', { name: 'Members' });
  await members.getByRole('listitem').filter({ hasText: 'carol' }).getByRole('button', { name: 'Remove' }).click();
  await expect(roomsList(carol).getByRole('button', { name: /^Trip/ })).toHaveCount(0);
  await expect(carol.page.getByRole('heading', { name: 'Trip', exact: true })).toHaveCount(0);
  await alice.send('Just us two now');
  await expect.poll(() => seen(bob)).toContain('alice: Just us two now');
  await expect(roomsList(bob).getByRole('button', { name: /^Trip/ })).toContainText('2 people');

  // Added again, carol sees what comes after, not what was said while she was out (her
  // open page keeps what she had already seen; the server gives a fresh page only the new).
  await members.getByLabel('Friend to add').selectOption({ label: 'carol' });
  await members.getByRole('button', { name: 'Add member' }).click();
  await expect(roomsList(carol).getByRole('button', { name: /^Trip/ })).toBeVisible();
  await alice.send('Welcome back');
  await openRoom(carol, 'Trip');
  await expect.poll(() => seen(carol)).toEqual(['alice: Train at nine?', 'bob: Yes', 'me: I bring snacks', 'alice: Welcome back']);
  await carol.page.reload();
  await carol.connected();
  await openRoom(carol, 'Trip');
  await expect.poll(() => seen(carol)).toEqual(['alice: Welcome back']);

  // The owner renames the room: every member's list and open page follow.
  await members.getByLabel('New room name').fill('Ski trip');
  await members.getByRole('button', { name: 'Rename' }).click();
  for (const p of [alice, bob, carol]) {
    await expect(roomsList(p).getByRole('button', { name: /^Ski trip/ })).toBeVisible();
  }
  await expect(bob.page.getByRole('heading', { name: 'Ski trip', exact: true })).toBeVisible();
  // A member who is not the owner has no rename. bob leaves: his list loses the room, the
  // others see two people.
  await bob.page.getByRole('button', { name: 'Members' }).click();
  const bobsMembers = bob.page.getByRole('region', { name: 'Members' });
  await expect(bobsMembers.getByRole('button', { name: 'Leave room' })).toBeVisible();
  await expect(bobsMembers.getByLabel('New room name')).toHaveCount(0);
  await bob.page.getByRole('button', { name: 'Leave room' }).click();
  await expect(roomsList(bob).getByRole('button', { name: /^Ski trip/ })).toHaveCount(0);
  await expect(roomsList(alice).getByRole('button', { name: /^Ski trip/ })).toContainText('2 people');
  await carol.send('Bye bob');
  await expect.poll(() => seen(alice)).toContain('carol: Bye bob');
});

test('a member away catches up in order with an unread count; a friend who is not a member sees no trace', async ({ browser, hearth }) => {
  const [alice, bob, carol] = await aliceAndFriends(browser, hearth);
  const dave = await Person.open(browser, hearth, 'dave');
  await dave.signUp();
  await alice.addFriend('dave');
  await dave.accept('alice');
  await expect(alice.friend('dave')).toBeVisible();

  await makeRoom(alice, 'Trip', [bob, carol]);
  for (const p of [alice, bob, carol]) await openRoom(p, 'Trip');
  await alice.send('Train at nine?');
  for (const p of [bob, carol]) await expect.poll(() => seen(p)).toEqual(['alice: Train at nine?']);

  // carol closes her page; two messages come while she is away.
  await carol.context.close();
  await alice.send('Bring a coat');
  await bob.send('And boots');
  await expect.poll(() => seen(alice)).toEqual(['me: Train at nine?', 'me: Bring a coat', 'bob: And boots']);

  // She logs in again: the room shows two unread, and opening it shows all three in order.
  const carolAgain = await Person.open(browser, hearth, 'carol');
  await carolAgain.logIn();
  const trip = roomsList(carolAgain).getByRole('button', { name: /^Trip/ });
  await expect(trip.getByLabel('2 unread')).toHaveText('2');
  await openRoom(carolAgain, 'Trip');
  await expect.poll(() => seen(carolAgain)).toEqual(['alice: Train at nine?', 'alice: Bring a coat', 'bob: And boots']);
  await expect(trip.getByLabel(/unread/)).toHaveCount(0);

  // dave, alice's friend, was there all along and sees nothing of the room: not in his list,
  // not in his chat with alice, not after a reload, and not when a call starts in it.
  await alice.page.getByRole('button', { name: 'Voice call', exact: true }).click();
  await expect(carolAgain.page.getByRole('alertdialog', { name: 'Room call ringing' })).toBeVisible();
  await expect(dave.page.getByRole('alertdialog', { name: 'Room call ringing' })).toHaveCount(0);
  await expect(roomsList(dave).getByRole('listitem')).toHaveCount(0);
  await dave.page.reload();
  await dave.connected();
  await dave.openChat('alice');
  for (const text of ['Trip', 'Train at nine?', 'Bring a coat', 'And boots']) {
    await expect(dave.page.getByText(text)).toHaveCount(0);
  }
  await expect(roomsList(dave).getByRole('listitem')).toHaveCount(0);
  await alice.page.getByRole('button', { name: 'Leave call' }).click();
});
