// Test servers for the browser suites: static files with optional CORS (the widget's
// origin, like a CDN or a tiercost host) and fixed routes (a portal's pages, a hostile
// frame). Different ports on "localhost" are different origins.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { staticFile } from "../../scripts/serve.mjs";

/**
 * A static server on 127.0.0.1: files under `dir` (with the security headers of
 * scripts/serve.mjs), or `routes` (path → [type, body, headers, status = 200], or a function
 * returning them).
 * `cors` adds Access-Control-Allow-Origin: *. `stripCors` (a RegExp on the path, or true for
 * every path) removes the CORS and CORP headers scripts/serve.mjs sends for the widget's
 * files: a host configured without them. Resolves to { origin, close() }.
 */
export async function serve({ dir = null, routes = {}, cors = false, stripCors = null } = {}) {
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
      const file = root && (await staticFile(root, url.pathname));
      if (!file) throw new Error("outside");
      if (stripCors === true || (stripCors instanceof RegExp && stripCors.test(url.pathname))) {
        delete file.headers["Access-Control-Allow-Origin"];
        delete file.headers["Cross-Origin-Resource-Policy"];
      }
      // The headers a host sends (CSP with frame-ancestors, nosniff…), as scripts/serve.mjs.
      res.writeHead(200, { ...file.headers, ...extra }).end(file.body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain", ...extra }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  // Different ports on "localhost" are different origins.
  const origin = `http://localhost:${server.address().port}`;
  return { origin, close: () => new Promise((ok) => server.close(ok)) };
}
