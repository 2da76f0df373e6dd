// The engine's WebAssembly linear memory does not grow without bound: after 1,000 warm-up
// estimates (a 20-item case on an embedded pack and the inline-pack example, alternately),
// 10,000 more grow it by at most GROWTH_LIMIT. Linear memory never shrinks, so a leak of even
// a few hundred bytes per estimate (several MB over 10,000) would show.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { launch } from "./chromium.mjs";
import { TWENTY_ITEMS, WWW, memoryAfter } from "./bench.mjs";

const EXAMPLE = readFileSync(resolve(import.meta.dirname, "../../examples/inline-pack-case.json"), "utf8");
const GROWTH_LIMIT = 256 * 1024; // four 64 KiB pages

test("10,000 estimates after warm-up leave linear memory (almost) where it was", async () => {
  const server = await startServer(WWW);
  const browser = await launch();
  let init, warm, later;
  try {
    const page = await browser.newPage();
    const pkgUrl = `${server.url}pkg/`;
    await page.goto(`${pkgUrl}package.json`);
    [init, warm, later] = await memoryAfter(page, pkgUrl, [TWENTY_ITEMS, EXAMPLE], [1000, 11000]);
  } finally {
    await browser.close();
    await server.close();
  }
  assert.equal(typeof init.bytes, "number", "memoryBytes() gives a number after init()");
  assert.ok(init.bytes > 0 && init.bytes % 65536 === 0, `whole wasm pages: ${init.bytes}`);
  const growth = later.bytes - warm.bytes;
  assert.ok(
    growth <= GROWTH_LIMIT,
    `linear memory grew by ${growth} bytes over 10,000 estimates after warm-up ` +
      `(${warm.bytes} → ${later.bytes}); at most ${GROWTH_LIMIT} allowed`,
  );
});
