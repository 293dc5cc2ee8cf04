// Run by trunk after it has written the page (a post_build hook, see Trunk.toml): trunk's own
// JS minifier cannot read wasm-bindgen's glue (`export { ... as default }`) and leaves it as
// is, so a release build minifies it here with esbuild (12.6 -> 10.4 KB gzip), then puts the
// new file's hash in the page so Subresource Integrity still holds.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('scripts/minify-glue.mjs is run by trunk, as a post_build hook');
if (process.env.TRUNK_PROFILE === 'release') {
  const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  const html = path.join(dir, 'index.html');
  let page = readFileSync(html, 'utf8');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const file = path.join(dir, name);
    const before = readFileSync(file, 'utf8');
    const after = transformSync(before, { minify: true, format: 'esm' }).code;
    if (!page.includes(sri(before))) throw new Error(`${name}: the page does not carry its integrity hash`);
    page = page.replaceAll(sri(before), sri(after));
    writeFileSync(file, after);
  }
  writeFileSync(html, page);
}
