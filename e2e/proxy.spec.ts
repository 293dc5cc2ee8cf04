// Hearth behind a real reverse proxy: nginx or Caddy (Debian's) terminates TLS with HTTP/2 and
// passes the WebSocket through, configured with deploy/nginx.conf or deploy/Caddyfile as the
// README tells people to; Hearth listens on plain http on loopback and is told its public URL.
import { test as base, expect, friends, startCall, mediaFlowsBothWays, freePort, Person } from './fixtures';
import { startNginx, startCaddy, Daemon } from './servers';

const proxies = { nginx: startNginx, caddy: startCaddy };

/** hearth on loopback behind `proxy` on `proxyPort`; `publicUrl` says whether hearth is told
 * the address people open. */
function behind(proxy: keyof typeof proxies, publicUrl: boolean) {
  return base.extend<{ proxyPort: number; reverseProxy: Daemon }>({
    proxyPort: async ({}, use) => use(await freePort()),
    hearthArgs: async ({ proxyPort }, use) => use(publicUrl ? ['--public-url', `https://127.0.0.1:${proxyPort}`] : []),
    reverseProxy: async ({ hearth, proxyPort }, use) => {
      const daemon = await proxies[proxy](proxyPort, hearth.listening);
      await use(daemon);
      await daemon.dispose();
    },
  });
}

for (const name of ['nginx', 'caddy'] as const) {
  behind(name, true)(`through ${name} with --public-url: sign up, befriend, chat live, video call`, async ({ browser, hearth, reverseProxy: proxy }) => {
    expect(hearth.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(proxy.output).not.toContain('[emerg]');
    // Person.open checks the page came over HTTP/2 (the proxy's TLS, not hearth's plain http).
    const [alice, bob] = await friends(browser, hearth);
    await alice.openChat('bob');
    await bob.openChat('alice');
    await alice.send('Through the proxy?');
    await expect(bob.messages()).toHaveText(['Through the proxy?']);
    await bob.send('Through the proxy.');
    await expect(alice.messages()).toHaveText(['Through the proxy?', 'Through the proxy.']);
    await startCall(alice, bob);
    await mediaFlowsBothWays(alice, bob);
  });
}

behind('nginx', false)('without --public-url, the proxied page is refused as another site (the README says why)', async ({ browser, hearth, proxyPort, reverseProxy: proxy }) => {
  // What hearth is told: nothing; so it takes https://127.0.0.1:<proxy port> for a foreign
  // origin (it serves plain http itself). This is the failure --public-url exists for.
  expect(proxy.output).not.toContain('[emerg]');
  const url = `https://127.0.0.1:${proxyPort}`;
  const context = await browser.newContext({ baseURL: url, ignoreHTTPSErrors: true });
  const alice = new Person('alice', context, await context.newPage());
  await alice.page.goto('/');
  await alice.page.getByLabel('Username').fill('alice');
  await alice.page.getByLabel('Password').fill('alice-secret-pw');
  await alice.page.getByRole('button', { name: 'Sign up' }).click();
  await expect(alice.page.getByText('requests from another site are refused')).toBeVisible();
  expect(hearth.url).toMatch(/^http:/);
});
