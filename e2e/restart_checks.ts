// A broadcast across a server restart, as e2e/broadcast.spec.ts (in a room) and
// e2e/broadcast_friends.spec.ts (to friends) both check it.
import { Locator, Page } from '@playwright/test';
import { expect, growsAgain, Hearth } from './fixtures';
import { media } from './media_checks';

/** Restarts the server (the same port and data folder: it forgets the broadcast) while the
 * host (`host`, her broadcast's screen) is live to one viewer (`viewer` on `page`). Both
 * screens say the connection is lost, then that it is back; the viewer's picture and sound
 * move again; it is still a broadcast with one viewer, who sends nothing; ending it ends
 * it for them. */
export async function liveAcrossRestart(hearth: Hearth, host: Locator, viewer: Locator, page: Page): Promise<void> {
  await hearth.kill(); // the relay, and every connection to it, with it
  const lost = (s: Locator) => s.getByRole('status').filter({ hasText: 'Server connection lost; reconnecting…' });
  await expect(lost(host)).toBeVisible();
  await expect(lost(viewer)).toBeVisible();
  await hearth.start();
  for (const s of [host, viewer]) await expect(lost(s)).toHaveCount(0, { timeout: 30_000 });
  for (const what of ['frames', 'audio'] as const) {
    await growsAgain(async () => (await media(page))[what], `the viewer <- the host: ${what}`);
  }
  // Rebuilt from their word as a broadcast.
  await expect(host.getByRole('status')).toHaveText('You are live · 1 watching');
  await expect(viewer.getByRole('status')).toHaveText('1 watching');
  expect((await media(page)).outbound, 'the viewer sends nothing').toBe(0);
  await host.getByRole('button', { name: 'End broadcast' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The broadcast ended.' })).toBeVisible();
}
