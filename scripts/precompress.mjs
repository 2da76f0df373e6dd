// Writes a Brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every text or wasm
// file under the given folders, so a server can send the compressed bytes without compressing
// on each request (scripts/serve.mjs does; docs/EMBED.md says how other hosts can). A copy is
// rewritten only when its source is newer; copies whose source is gone are removed. Files
// under 512 bytes are left alone (the headers would outweigh the saving).
// Usage: node scripts/precompress.mjs www [more folders…]   (scripts/build-pkg.sh runs it)
import { readdir, readFile, writeFile, stat, unlink } from "node:fs/promises";
import { join, extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

/** The file types worth compressing: text and WebAssembly. */
export const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".md"]);
const MIN_BYTES = 512;

/** Every file under `dir` (at any depth), as paths. */
export async function filesUnder(dir) {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

async function mtime(path) {
  return (await stat(path).catch(() => null))?.mtimeMs ?? -1;
}

export async function precompress(dir) {
  let written = 0;
  let raw = 0;
  let br = 0;
  for (const path of await filesUnder(dir)) {
    const ext = extname(path);
    if (ext === ".br" || ext === ".gz") {
      const source = path.slice(0, -ext.length);
      if ((await mtime(source)) < 0) await unlink(path);
      continue;
    }
    if (!COMPRESSIBLE.has(ext)) continue;
    const body = await readFile(path);
    if (body.length < MIN_BYTES) continue;
    const at = await mtime(path);
    raw += body.length;
    if ((await mtime(`${path}.br`)) < at) {
      const bytes = brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          [constants.BROTLI_PARAM_MODE]: ext === ".wasm" ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
        },
      });
      await writeFile(`${path}.br`, bytes);
      written += 1;
    }
    if ((await mtime(`${path}.gz`)) < at) {
      await writeFile(`${path}.gz`, gzipSync(body, { level: 9 }));
      written += 1;
    }
    br += (await stat(`${path}.br`)).size;
  }
  return { written, raw, br };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const dir of process.argv.slice(2)) {
    const { written, raw, br } = await precompress(dir);
    console.log(`precompress ${dir}: ${written} copies written; ${(raw / 1024).toFixed(0)} KB → ${(br / 1024).toFixed(0)} KB brotli`);
  }
}
