// Run by trunk after it has written the page (a post_build hook, see Trunk.toml), on release
// builds:
// - trunk's own JS minifier cannot read wasm-bindgen's glue (`export { ... as default }`) and
//   leaves it as is, so the glue is minified here with esbuild (12.6 -> 10.4 KB gzip);
// - the names the wasm imports from the glue are shortened in both files
//   (scripts/wasm-imports.mjs: 10.4 -> 6.3 KB gzip for the glue, 5.5 KB off the wasm);
// - the page gets the new files' hashes, so Subresource Integrity still holds.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { shorten } from './wasm-imports.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('scripts/post-build.mjs is run by trunk, as a post_build hook');
if (process.env.TRUNK_PROFILE === 'release') {
  const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  const html = path.join(dir, 'index.html');
  let page = readFileSync(html, 'utf8');
  const only = (ext) => {
    const found = readdirSync(dir).filter((f) => f.endsWith(ext));
    if (found.length !== 1) throw new Error(`${found.length} ${ext} files in ${dir} (one wanted)`);
    return path.join(dir, found[0]);
  };
  const [jsFile, wasmFile] = [only('.js'), only('_bg.wasm')];
  const [js, wasm] = [readFileSync(jsFile, 'utf8'), readFileSync(wasmFile)];
  const minified = transformSync(js, { minify: true, format: 'esm' }).code;
  const short = shorten(wasm, minified);
  for (const [before, after, file] of [[js, short.js, jsFile], [wasm, short.wasm, wasmFile]]) {
    if (!page.includes(sri(before))) throw new Error(`${file}: the page does not carry its integrity hash`);
    page = page.replaceAll(sri(before), sri(after));
    writeFileSync(file, after);
  }
  writeFileSync(html, page);
}
