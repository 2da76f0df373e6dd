// A static file server for the page, bound to localhost only. Used by `make serve` and by the
// browser tests. Serves .wasm as application/wasm (so it compiles while it downloads) and
// sends no caching headers, so a rebuilt pkg/ is picked up on reload.
// Sends the precompressed copy scripts/precompress.mjs wrote beside a file (.br, else .gz)
// when the browser accepts it and the copy is not older than the file, with
// `Content-Encoding` and `Vary: Accept-Encoding` (docs/EMBED.md, "Compression").
// Sends the security headers a host should send (docs/EMBED.md, "Headers for the server that
// hosts tiercost's files"): each page's Content-Security-Policy (the page's own <meta>
// policy, plus frame-ancestors, which a <meta> cannot carry), X-Frame-Options for pages that
// must not be framed, the service worker's own policy, nosniff; and, for the files the widget
// loads (widget/, lib/, pkg/: module scripts, the .wasm, JSON), the CORS and CORP headers a
// page on another origin needs to load them (docs/EMBED.md, "From another origin").
// Usage: node scripts/serve.mjs [DIR=www] [PORT=8000]
import { createServer } from "node:http";
import { createSecureServer } from "node:http2";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { COMPRESSIBLE } from "./precompress.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
};

// Who may frame each page: the embed may be framed by pages on this machine (a portal's own
// server would list its portals' origins here); nothing else may be framed.
const EMBEDDABLE = new Set(["embed.html"]);
const LOCAL_FRAMERS = "'self' http://localhost:* http://127.0.0.1:*";
// The service worker's own policy (a worker's CSP comes from its response's header).
const WORKER_CSP = "default-src 'none'; connect-src 'self'";

// The folders whose files a portal's page on another origin loads: the custom element's
// modules (widget/*.js, the lib/*.js they import), the engine (pkg/*.js, pkg/snippets/**, the
// .wasm) and JSON beside them (widget/templates/, pkg/integrity.json). Module scripts and the
// wasm's fetch are CORS requests, so these need `Access-Control-Allow-Origin`; a page that is
// cross-origin isolated (COEP) also needs `Cross-Origin-Resource-Policy: cross-origin`.
// Pages (.html) never get them: they are opened or framed, not fetched.
const WIDGET_DIRS = new Set(["widget", "lib", "pkg"]);

/** True when `rel` (a path relative to the served folder, "/" separated) is a widget file. */
export function isWidgetFile(rel) {
  const parts = String(rel).replace(/^\/+/, "").split("/");
  return parts.length > 1 && WIDGET_DIRS.has(parts[0]) && !/\.html?$/i.test(parts.at(-1));
}

/**
 * The security headers for a response: `path` on disk, `body` its bytes, `rel` its path
 * relative to the served folder (e.g. "widget/core.js"; omitted: no cross-origin headers).
 */
export function securityHeaders(path, body, rel = "") {
  const headers = { "X-Content-Type-Options": "nosniff" };
  const name = path.split(sep).at(-1);
  if (rel && isWidgetFile(rel)) {
    headers["Access-Control-Allow-Origin"] = "*";
    headers["Cross-Origin-Resource-Policy"] = "cross-origin";
  }
  if (extname(path) === ".html") {
    const meta = /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(.*?)\1/i.exec(body.toString("utf8"))?.[2];
    const framers = EMBEDDABLE.has(name) ? LOCAL_FRAMERS : "'none'";
    if (meta) headers["Content-Security-Policy"] = `${meta.replace(/;\s*$/, "")}; frame-ancestors ${framers}`;
    if (!EMBEDDABLE.has(name)) headers["X-Frame-Options"] = "DENY";
    headers["Referrer-Policy"] = EMBEDDABLE.has(name) ? "no-referrer" : "strict-origin-when-cross-origin";
  } else if (name === "sw.js") {
    headers["Content-Security-Policy"] = WORKER_CSP;
  }
  return headers;
}

/** The encodings a request's Accept-Encoding header allows, best first ("br", "gzip"). */
export function acceptedEncodings(header = "") {
  const allowed = new Map();
  for (const part of String(header).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    allowed.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name) => (allowed.get(name) ?? allowed.get("*") ?? 0) > 0;
  return [["br", ".br"], ["gzip", ".gz"]].filter(([name]) => ok(name));
}

/**
 * The file under `root` (an absolute path) that a request for `pathname` names, a folder
 * meaning its index.html, with the headers to send it with: { path, body, headers }.
 * `acceptEncoding` is the request's Accept-Encoding header: when it allows br or gzip and a
 * fresh precompressed copy is beside the file, `body` is that copy (and `headers` say so).
 * Resolves to null when the path leaves `root`; rejects when there is no such file.
 */
export async function staticFile(root, pathname, acceptEncoding = "") {
  let path = normalize(join(root, decodeURIComponent(pathname)));
  if (path !== root && !path.startsWith(root + sep)) return null;
  let info = await stat(path).catch(() => null);
  if (info?.isDirectory()) {
    path = join(path, "index.html");
    info = await stat(path);
  }
  let body = await readFile(path);
  const headers = {
    "Content-Type": TYPES[extname(path)] || "application/octet-stream",
    "Cache-Control": "no-store",
    ...securityHeaders(path, body, relative(root, path).split(sep).join("/")),
  };
  if (COMPRESSIBLE.has(extname(path))) {
    headers.Vary = "Accept-Encoding";
    for (const [encoding, suffix] of acceptedEncodings(acceptEncoding)) {
      const copy = await stat(path + suffix).catch(() => null);
      if (copy && copy.mtimeMs >= info.mtimeMs) {
        body = await readFile(path + suffix);
        headers["Content-Encoding"] = encoding;
        break;
      }
    }
  }
  return { path, body, headers };
}

/**
 * Starts a server for `dir` on 127.0.0.1. `port` 0 picks a free one.
 * `isolate` adds COOP/COEP headers (cross-origin isolation: finer performance.now()).
 * `tls` ({ key, cert }, PEM) serves HTTPS with HTTP/2 (and HTTP/1.1 for clients without
 * it), as a production host would: many small files then share one connection.
 * Resolves to { server, url, close() }.
 */
export async function startServer(dir, { port = 0, isolate = false, tls = null } = {}) {
  const root = resolve(dir);
  const handle = async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      const file = await staticFile(root, url.pathname, req.headers["accept-encoding"]);
      if (!file) {
        res.writeHead(403).end("forbidden");
        return;
      }
      const { body, headers } = file;
      if (isolate) {
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Embedder-Policy"] = "require-corp";
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  };
  const server = tls ? createSecureServer({ ...tls, allowHTTP1: true }, handle) : createServer(handle);
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  const url = `${tls ? "https" : "http"}://localhost:${server.address().port}/`;
  return { server, url, close: () => new Promise((ok) => server.close(ok)) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] || "www";
  const port = Number(process.argv[3] || process.env.PORT || 8000);
  const { url } = await startServer(dir, { port });
  console.log(`Serving ${dir}/ on ${url} (localhost only). Press Ctrl-C to stop.`);
}
