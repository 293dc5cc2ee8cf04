// A caller with no camera and no microphone is told why, and the call still connects: they
// see and hear their friend.
import { chromium } from '@playwright/test';
import { test, expect, Person, inbound, keepsGrowing } from './fixtures';

test('without camera or microphone the call goes on receive-only, with a clear message', async ({ browser, hearth }) => {
  // A second Chromium without fake devices: this headless machine has none.
  const bare = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const alice = await Person.open(bare, hearth, 'alice');
    const bob = await Person.open(browser, hearth, 'bob');
    await alice.signUp();
    await bob.signUp();
    await alice.addFriend('bob');
    await bob.accept('alice');
    await alice.openChat('bob');
    await alice.page.getByRole('button', { name: 'Video call', exact: true }).click();
    await expect(alice.page.getByRole('alert').filter({ hasText: 'No camera or microphone was found' })).toBeVisible();
    await bob.page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
    await keepsGrowing(async () => (await inbound(alice.page)).framesDecoded, 'alice: video frames from bob');
    await keepsGrowing(async () => (await inbound(alice.page)).audioPackets, 'alice: audio packets from bob');
    await expect(bob.page.getByLabel("alice's camera is off")).toBeVisible();
  } finally {
    await bare.close();
  }
});
