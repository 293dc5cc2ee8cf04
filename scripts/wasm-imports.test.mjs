// `node --test scripts/`: the import renaming of scripts/wasm-imports.mjs on a small
// hand-made module, instantiated for real.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shorten } from './wasm-imports.mjs';

const str = (s) => [s.length, ...Buffer.from(s)];
const leb = (n) => (n < 128 ? [n] : [(n % 128) | 0x80, ...leb(Math.floor(n / 128))]);
const section = (id, body) => [id, ...leb(body.length), ...body];

/** A module importing two functions from `./x_bg.js`, a memory from `env`, and one more
 * function from `./x_bg.js`, with a start function that calls the first. */
function module() {
  const F = '__wbg_log_0123456789abcdef';
  const G = '__wbg_now_fedcba9876543210';
  const H = '__wbindgen_init_externref_table';
  const types = section(1, [1, 0x60, 0, 0]);
  const imports = section(2, [4,
    ...str('./x_bg.js'), ...str(F), 0, 0,
    ...str('./x_bg.js'), ...str(G), 0, 0,
    ...str('env'), ...str('memory'), 2, 1, 1, 2,
    ...str('./x_bg.js'), ...str(H), 0, 0]);
  const funcs = section(3, [1, 0]);
  const start = section(8, [3]);
  const code = section(10, [1, 4, 0, 0x10, 0, 0x0b]);
  const wasm = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...start, ...code]);
  const js = `function E(){return{__proto__:null,"./x_bg.js":{__proto__:null,${F}:function(){t.push("log")},`
    + `${G}:function(){return 1},${H}:function(){}}}}`;
  return { wasm, js };
}

test('every import from the glue gets a short name in both files, and the module still runs', async () => {
  const { wasm, js } = module();
  const out = shorten(wasm, js);
  assert.equal(out.count, 3);
  assert.ok(out.wasm.length < wasm.length);
  assert.equal(out.js, 'function E(){return{__proto__:null,m:{__proto__:null,a:function(){t.push("log")},'
    + 'b:function(){return 1},c:function(){}}}}');
  const compiled = await WebAssembly.compile(out.wasm);
  assert.deepEqual(WebAssembly.Module.imports(compiled).map((i) => `${i.module}.${i.name}`),
    ['m.a', 'm.b', 'env.memory', 'm.c']);
  const t = [];
  const imports = new Function('t', `${out.js};return E()`)(t);
  imports.env = { memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }) };
  await WebAssembly.instantiate(compiled, imports);
  assert.deepEqual(t, ['log'], 'the start function called the first import through its new name');
});

test('a glue that names an import twice, or not at all, is refused rather than guessed at', () => {
  const { wasm, js } = module();
  assert.throws(() => shorten(wasm, js.replace('__wbg_now_fedcba9876543210:', 'x:')), /__wbg_now_/);
  assert.throws(() => shorten(wasm, `${js};o.__wbg_log_0123456789abcdef()`), /__wbg_log_/);
  assert.throws(() => shorten(wasm, js.replace('"./x_bg.js"', '"./y.js"')), /0 import modules/);
});
