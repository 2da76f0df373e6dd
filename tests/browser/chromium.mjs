// Launches the system Chromium through playwright-core (never `playwright install`), with
// flags that keep it from reaching the network on its own.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Fails the test on page errors, console errors and any request off `origin`. */
export function watch(page, origin) {
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith("data:")) problems.push(`off-origin request: ${u}`);
  });
  return problems;
}

/** Records page errors, console messages, dialogs and every request's origin. */
export function record(page) {
  const log = { pageErrors: [], console: [], requests: [], dialogs: [] };
  page.on("pageerror", (e) => log.pageErrors.push(e.message));
  page.on("console", (m) => log.console.push(`${m.type()}: ${m.text()}`));
  page.on("request", (r) => log.requests.push(r.url()));
  page.on("dialog", (d) => {
    log.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  return log;
}

/** The requests in `log` to none of the `allowed` origins (data: URLs aside). */
export const offOrigin = (log, allowed) =>
  log.requests.filter((u) => !allowed.some((o) => u.startsWith(`${o}/`)) && !u.startsWith("data:"));
