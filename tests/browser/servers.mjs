// Test servers for the browser suites: static files with optional CORS (the widget's
// origin, like a CDN or a tiercost host) and fixed routes (a portal's pages, a hostile
// frame). Different ports on "localhost" are different origins.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { securityHeaders } from "../../scripts/serve.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
};

/**
 * A static server on 127.0.0.1: files under `dir` (with the security headers of
 * scripts/serve.mjs), or `routes` (path → [type, body, headers, status = 200], or a function
 * returning them).
 * `cors` adds Access-Control-Allow-Origin: *. Resolves to { origin, close() }.
 */
export async function serve({ dir = null, routes = {}, cors = false } = {}) {
  const root = dir && resolve(dir);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    const extra = cors ? { "Access-Control-Allow-Origin": "*" } : {};
    const route = routes[url.pathname];
    if (route) {
      const [type, body, headers = {}, status = 200] = typeof route === "function" ? route() : route;
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...extra, ...headers }).end(body);
      return;
    }
    try {
      let path = normalize(join(root, decodeURIComponent(url.pathname)));
      if (!root || (path !== root && !path.startsWith(root + sep))) throw new Error("outside");
      if ((await stat(path).catch(() => null))?.isDirectory()) path = join(path, "index.html");
      const body = await readFile(path);
      res
        .writeHead(200, {
          "Content-Type": TYPES[extname(path)] || "application/octet-stream",
          "Cache-Control": "no-store",
          // The headers a host sends (CSP with frame-ancestors, nosniff…), as scripts/serve.mjs.
          ...securityHeaders(path, body),
          ...extra,
        })
        .end(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain", ...extra }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  // Different ports on "localhost" are different origins.
  const origin = `http://localhost:${server.address().port}`;
  return { origin, close: () => new Promise((ok) => server.close(ok)) };
}
