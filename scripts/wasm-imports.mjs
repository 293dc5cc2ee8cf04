// Short names for what the wasm module imports from its JS glue. wasm-bindgen names each
// import after the JS function and a 16-digit hash (`__wbg_addEventListener_f2d27251d333a631`),
// and the module after the glue's file (`./hearth-frontend_bg.js`): some 300 names that
// appear in both files, whose hashes gzip cannot shrink. Emscripten shortens them the same
// way in its release builds. `shorten(wasm, js)` gives both files back with every import of
// that module renamed (`a`, `b`, ... `ba`, ...), and throws rather than guess when the glue
// does not name an import exactly once as a key of its imports object.

/** Reads an unsigned LEB128 at `at`: [value, the offset after it]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
    shift += 7;
  }
}

/** An unsigned LEB128. */
function toLeb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

const utf8 = new TextDecoder();
const encode = (s) => [...toLeb(Buffer.byteLength(s)), ...Buffer.from(s)];

/** A string at `at`: [string, the offset after it]. */
function name(bytes, at) {
  const [len, start] = leb(bytes, at);
  return [utf8.decode(bytes.subarray(start, start + len)), start + len];
}

/** The offset after an import's description (its kind byte at `at`). */
function skipDescription(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = leb(bytes, p);
    if (flags & 1) [, p] = leb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return leb(bytes, at)[1]; // function: its type
    case 1: return limits(at + 1); // table: element type, limits
    case 2: return limits(at); // memory
    case 3: return at + 2; // global: value type, mutability
    case 4: return leb(bytes, at + 1)[1]; // tag: attribute, type
    default: throw new Error(`wasm import of unknown kind ${kind}`);
  }
}

/** `a`, `b`, ... `z`, `A` ... `Z`, `ba`, ...: the `i`th short name. */
function short(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = letters[i % letters.length] + s;
    i = Math.floor(i / letters.length);
  } while (i > 0);
  return s;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The wasm and the glue (minified) with the imports from the glue renamed, and the module
 * they come from (`./<name>_bg.js`) renamed `m`. */
export function shorten(wasm, js) {
  const modules = [...js.matchAll(/(["'])(\.\/[\w-]+_bg\.js)\1:/g)].map((m) => m[2]);
  if (modules.length !== 1) throw new Error(`the glue names ${modules.length} import modules (one wanted)`);
  const module = modules[0];
  const bytes = new Uint8Array(wasm);
  if (utf8.decode(bytes.subarray(0, 4)) !== '\0asm') throw new Error('not a wasm module');
  const chunks = [bytes.subarray(0, 8)];
  const renamed = new Map();
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    const end = start + size;
    if (id !== 2) {
      chunks.push(bytes.subarray(at, end));
      at = end;
      continue;
    }
    const [count, first] = leb(bytes, start);
    const body = [...toLeb(count)];
    let p = first;
    for (let i = 0; i < count; i++) {
      const [mod, afterMod] = name(bytes, p);
      const [field, afterField] = name(bytes, afterMod);
      const afterDesc = skipDescription(bytes, afterField);
      if (mod === module) {
        if (!renamed.has(field)) renamed.set(field, short(renamed.size));
        body.push(...encode('m'), ...encode(renamed.get(field)));
      } else {
        body.push(...bytes.subarray(p, afterField));
      }
      body.push(...bytes.subarray(afterField, afterDesc));
      p = afterDesc;
    }
    if (p !== end) throw new Error('the wasm import section did not parse to its end');
    chunks.push(Uint8Array.from([2, ...toLeb(body.length), ...body]));
    at = end;
  }
  let glue = js;
  const moduleKey = new RegExp(`(["'])${escape(module)}\\1:`, 'g');
  if ((glue.match(moduleKey) ?? []).length !== 1) throw new Error(`the glue does not name ${module} once`);
  glue = glue.replace(moduleKey, 'm:');
  for (const [field, to] of renamed) {
    const key = new RegExp(`([{,])${escape(field)}:`, 'g');
    const found = (glue.match(key) ?? []).length;
    if (found !== 1 || glue.split(field).length !== 2) {
      throw new Error(`the glue names the import ${field} ${found} times as a key (once wanted)`);
    }
    glue = glue.replace(key, `$1${to}:`);
  }
  return { wasm: Buffer.concat(chunks), js: glue, count: renamed.size };
}
