#!/usr/bin/env node
// Static check of the JavaScript and HTML that ship in the page, the widget and the npm
// package: no code evaluation from strings and no string-to-DOM sink, so user or programme
// text can only ever reach the DOM as text. Parses every file with the TypeScript compiler's
// parser (a dev dependency already), so comments and strings do not confuse it.
//
//   node scripts/check-sinks.mjs            # www/ (with www/pkg/ if built) and pkg-templates/
//   node scripts/check-sinks.mjs FILE…      # other files (the tests seed bad code this way)
//
// Fails (exit 1) on:
//   eval            eval(…), window.eval(…)
//   function-ctor   new Function(…), Function(…)
//   string-timer    setTimeout / setInterval with a string, template or concatenation
//   html-sink       .innerHTML / .outerHTML / .srcdoc = …; insertAdjacentHTML, document.write,
//                   createContextualFragment, DOMParser#parseFromString, setHTMLUnsafe
//   event-attr      setAttribute("on…", …), or an on… property given a string
//   url-sink        location / .href / .src / .action = <not a constant>, location.assign,
//                   window.open or setAttribute("href"|"src"|…) with a value that is not constant
//   dynamic-code    import(<not a constant>), importScripts, new Worker, serviceWorker.register
//                   with a URL that is not constant
// and, in HTML: an inline <script> (other than JSON data), an on…= attribute, a style=
// attribute, a javascript: URL, or a page without a Content-Security-Policy that forbids
// inline script and eval.
//
// ALLOW lists the justified exceptions, each matched by file, rule and a piece of the code;
// an entry that no longer matches anything fails too, so the list cannot go stale.
import { readFile, readdir, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** Justified exceptions: { file (relative to the repo), rule, code (a substring of the flagged code), why }. */
export const ALLOW = [
  {
    file: "www/widget/tiercost-widget.js",
    rule: "dynamic-code",
    code: "import(ENGINE_URL)",
    why: "ENGINE_URL is the constant new URL('../pkg/index.js', import.meta.url): the engine beside the widget",
  },
  {
    file: "pkg-templates/index.js",
    rule: "dynamic-code",
    code: "import(`./${MODULES[kind].name}.js?instance=${instances}`)",
    why: "re-imports one of the package's own two glue modules (a fixed name) after a crash; kind is 'core' or 'planning'",
  },
  {
    file: "www/pkg/index.js",
    rule: "dynamic-code",
    code: "import(`./${MODULES[kind].name}.js?instance=${instances}`)",
    why: "the built copy of pkg-templates/index.js (scripts/assemble-pkg.mjs), the same re-import",
  },
  {
    file: "www/app.js",
    rule: "dynamic-code",
    code: "register(swURL(SW_URL))",
    why: "the page's own service worker, a constant URL passed through the Trusted Types policy that accepts only it",
  },
  {
    file: "www/rules.js",
    rule: "url-sink",
    code: "$(\"use\").href = `./#rules=${link}`",
    why: "a same-page link: the constant './#rules=' and the base64url output of lib/share.js (letters, digits, - and _ only)",
  },
  {
    file: "www/widget/tiercost-widget.js",
    rule: "url-sink",
    code: "href: this.frameUrl()",
    why: "the iframe form's address: the constant new URL('../embed.html', import.meta.url) with only searchParams and a base64url #programme= fragment set, so always embed.html beside the widget (never javascript:)",
  },
  {
    file: "www/rules.js",
    rule: "url-sink",
    code: "href: URL.createObjectURL(blob)",
    why: "a blob: URL the browser mints for the exported rules file (a download link, never navigated to as a page)",
  },
];

const EVAL_NAMES = new Set(["eval", "execScript"]);
const TIMERS = new Set(["setTimeout", "setInterval", "setImmediate"]);
const HTML_PROPS = new Set(["innerHTML", "outerHTML", "srcdoc"]);
const HTML_CALLS = new Set(["insertAdjacentHTML", "createContextualFragment", "parseFromString", "setHTMLUnsafe", "parseHTMLUnsafe"]);
const URL_PROPS = new Set(["href", "src", "action", "formAction"]);
const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "codebase", "poster", "background"]);

/** A string literal or a template without substitutions. */
const isStringConst = (n) => n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n));
/** Code that builds a string: a literal, a template, or a `+` with a string in it. */
function isStringish(n) {
  if (!n) return false;
  if (isStringConst(n) || ts.isTemplateExpression(n)) return true;
  if (ts.isParenthesizedExpression(n)) return isStringish(n.expression);
  if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) return isStringish(n.left) || isStringish(n.right);
  return false;
}
const nameOf = (n) => {
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n)) return n.name.text;
  if (ts.isElementAccessExpression(n) && isStringConst(n.argumentExpression)) return n.argumentExpression.text;
  return null;
};
/** `location`, `window.location`, `document.location`, `self.location`, `globalThis.location`. */
const isLocation = (n) =>
  (ts.isIdentifier(n) && n.text === "location") ||
  (ts.isPropertyAccessExpression(n) && n.name.text === "location" && ts.isIdentifier(n.expression) && ["window", "document", "self", "globalThis", "top", "parent"].includes(n.expression.text));

/** Findings in one JavaScript source: [{ rule, line, code }]. */
export function scanScript(text, fileName = "file.js") {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found = [];
  const add = (rule, node) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push({ rule, line: line + 1, code: node.getText(sf).replace(/\s+/g, " ").slice(0, 160) });
  };
  const visit = (node) => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = nameOf(callee);
      const args = node.arguments || [];
      if (callee.kind === ts.SyntaxKind.ImportKeyword) {
        if (!isStringConst(args[0])) add("dynamic-code", node);
      } else if (name && EVAL_NAMES.has(name) && (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee))) {
        add("eval", node);
      } else if (name === "Function" && ts.isIdentifier(callee)) {
        add("function-ctor", node);
      } else if (name && TIMERS.has(name) && args.length && isStringish(args[0])) {
        add("string-timer", node);
      } else if (name && HTML_CALLS.has(name) && !ts.isIdentifier(callee)) {
        add("html-sink", node);
      } else if ((name === "write" || name === "writeln") && ts.isPropertyAccessExpression(callee) && nameOf(callee.expression) === "document") {
        add("html-sink", node);
      } else if (name === "setAttribute" || name === "setAttributeNS") {
        const [a, b] = name === "setAttribute" ? args : args.slice(1);
        if (isStringConst(a)) {
          const attr = a.text.toLowerCase();
          if (attr.startsWith("on") || attr === "srcdoc") add("event-attr", node);
          else if (URL_ATTRS.has(attr) && !isStringConst(b)) add("url-sink", node);
        }
      } else if ((name === "assign" || name === "replace") && ts.isPropertyAccessExpression(callee) && isLocation(callee.expression)) {
        if (!isStringConst(args[0])) add("url-sink", node);
      } else if (name === "open" && ts.isPropertyAccessExpression(callee) && ["window", "self", "globalThis"].includes(nameOf(callee.expression))) {
        if (args.length && !isStringConst(args[0])) add("url-sink", node);
      } else if (name === "importScripts" || ((name === "Worker" || name === "SharedWorker") && ts.isNewExpression(node)) || (name === "register" && ts.isPropertyAccessExpression(callee) && nameOf(callee.expression) === "serviceWorker")) {
        if (!args.every(isStringConst)) add("dynamic-code", node);
      }
    }
    if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken].includes(node.operatorToken.kind)) {
      const lhs = node.left;
      const prop = ts.isPropertyAccessExpression(lhs) || ts.isElementAccessExpression(lhs) ? nameOf(lhs) : null;
      if (prop && HTML_PROPS.has(prop)) add("html-sink", node);
      else if (prop && /^on[a-z]+$/.test(prop) && isStringish(node.right)) add("event-attr", node);
      else if (isLocation(lhs) || (prop && URL_PROPS.has(prop))) {
        if (!isStringConst(node.right)) add("url-sink", node);
      }
    }
    // Props handed to a DOM helper such as el("a", { href: … }): the helpers set them as
    // attributes or properties.
    if (ts.isPropertyAssignment(node) && ts.isObjectLiteralExpression(node.parent)) {
      const key = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : null;
      if (key && HTML_PROPS.has(key)) add("html-sink", node);
      else if (key && URL_ATTRS.has(key.toLowerCase()) && key !== "data" && !isStringConst(node.initializer)) add("url-sink", node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Findings in one HTML page: [{ rule, line, code }]. */
export function scanHtml(text) {
  const found = [];
  const lineAt = (i) => text.slice(0, i).split("\n").length;
  const add = (rule, i, code) => found.push({ rule, line: lineAt(i), code: code.replace(/\s+/g, " ").slice(0, 160) });
  const html = text.replace(/<!--[\s\S]*?-->/g, (c) => " ".repeat(c.length));
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = m[1];
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1]?.toLowerCase();
    const data = type === "application/json" || type === "application/ld+json";
    if (!/\bsrc\s*=/i.test(attrs) && !data) add("inline-script", m.index, m[0]);
    if (data && /<\/?script|<!--/i.test(m[2])) add("inline-script", m.index, "a JSON block that can close itself: write < as \\u003c");
  }
  for (const m of html.matchAll(/<[a-z][^>]*?\s(on[a-z]+)\s*=/gi)) add("event-attr", m.index, m[0]);
  for (const m of html.matchAll(/<[a-z][^>]*?\sstyle\s*=/gi)) add("inline-style", m.index, m[0]);
  for (const m of html.matchAll(/javascript:/gi)) add("url-sink", m.index, html.slice(m.index, m.index + 60));
  // The page's own CSP (hosts must also send it as a header: docs/EMBED.md, scripts/serve.mjs).
  const csp = /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(.*?)\1/i.exec(html)?.[2];
  if (!csp) add("csp", 0, "no <meta http-equiv=Content-Security-Policy>");
  else {
    const dirs = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
    const need = { "default-src": null, "script-src": null, "object-src": ["'none'"], "base-uri": ["'none'"], "require-trusted-types-for": ["'script'"] };
    for (const [k, want] of Object.entries(need)) {
      if (!dirs[k]) add("csp", 0, `the CSP has no ${k}`);
      else if (want && want.join(" ") !== dirs[k].join(" ")) add("csp", 0, `the CSP's ${k} is ${dirs[k].join(" ")}, not ${want.join(" ")}`);
    }
    for (const [k, v] of Object.entries(dirs)) {
      for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:", "http:", "https:"]) {
        if (v.includes(bad) && !(bad === "data:" && k === "img-src")) add("csp", 0, `the CSP allows ${bad} in ${k}`);
      }
    }
  }
  return found;
}

async function walk(dir, out = []) {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (/\.(m?js|html)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The files checked by default: www/ (and www/pkg/, when built) and pkg-templates/. */
export async function defaultFiles(root = ROOT) {
  return [...(await walk(join(root, "www"))), ...(await walk(join(root, "pkg-templates")))].sort();
}

/** Checks `files`; returns { problems: [{ file, rule, line, code }], unused: [ALLOW entries] }. */
export async function check(files, { root = ROOT, allow = ALLOW } = {}) {
  const problems = [];
  const used = new Set();
  for (const file of files) {
    const rel = relative(root, file).split("\\").join("/");
    const text = await readFile(file, "utf8");
    const found = file.endsWith(".html") ? scanHtml(text) : scanScript(text, file);
    for (const f of found) {
      const a = allow.find((a) => a.file === rel && a.rule === f.rule && f.code.includes(a.code));
      if (a) used.add(a);
      else problems.push({ file: rel, ...f });
    }
  }
  const checked = new Set(files.map((f) => relative(root, f).split("\\").join("/")));
  const unused = allow.filter((a) => checked.has(a.file) && !used.has(a));
  return { problems, unused };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const given = process.argv.slice(2).map((f) => resolve(f));
  for (const f of given) if (!(await stat(f).catch(() => null))) throw new Error(`no such file: ${f}`);
  const files = given.length ? given : await defaultFiles();
  const { problems, unused } = await check(files);
  for (const p of problems) console.error(`${p.file}:${p.line}: [${p.rule}] ${p.code}`);
  for (const a of unused) console.error(`${a.file}: allow-list entry for [${a.rule}] ${a.code} matches nothing: remove it`);
  if (problems.length || unused.length) {
    console.error(`check-sinks: ${problems.length} problem(s), ${unused.length} stale allow-list entr${unused.length === 1 ? "y" : "ies"} in ${files.length} files`);
    process.exit(1);
  }
  console.log(`check-sinks: ${files.length} files, no string-to-code or string-to-DOM sink (${ALLOW.length} allowed, each justified in scripts/check-sinks.mjs)`);
}
