// Browser tests: real Chromium (Debian's, never a downloaded one) against the real `hearth`
// release binary, which each test starts on a free port with a fresh data folder.
import { defineConfig } from '@playwright/test';
import type { HearthOptions } from './fixtures';
import { chromiumArgs } from './chromium';

export default defineConfig<HearthOptions>({
  testDir: '.',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  projects: [
    { name: 'http' },
    // What people use: HTTPS, which browsers speak as HTTP/2, with the certificate that
    // hearth generates (accepted by the test as a person accepts it).
    {
      name: 'https',
      testMatch: /(chat|calls|call_controls|recording|screen|phone|rooms|direct_relay|simulcast|broadcast|broadcast_friends|whip)\.spec\.ts$/,
      use: { tls: true },
    },
  ],
  use: {
    actionTimeout: 15_000,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
});
