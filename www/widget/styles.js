// The widget's stylesheet, adopted into each <tiercost-estimate> shadow root. `all: initial`
// on the inner container stops the host page's inherited styles (font, colour, line height,
// letter spacing, text transform — even when a host rule such as `* {…}` matches the element
// itself) from reaching in; selectors of the host page cannot reach inside at all.
// Theme variables (set them on the element or any ancestor):
//   --tiercost-accent, --tiercost-bg, --tiercost-text, --tiercost-muted, --tiercost-border,
//   --tiercost-font, --tiercost-font-size, --tiercost-radius
// The widget reads them and, where a pair would be hard to read (below WCAG AA 4.5:1),
// replaces the foreground with black or white; the internal --_* variables carry the result.
export const CSS = `
:host {
  display: block;
  contain: content;
  --_accent: var(--tiercost-accent, #0b6e4f);
  --_bg: var(--tiercost-bg, #ffffff);
  --_text: var(--tiercost-text, #1d2521);
  --_muted: var(--tiercost-muted, #4f5b56);
  --_border: var(--tiercost-border, #c5d0cb);
  --_radius: var(--tiercost-radius, 8px);
  --_font: var(--tiercost-font, system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif);
  --_size: var(--tiercost-font-size, 16px);
  --_on-accent: #ffffff;
  --_accent-text: var(--_accent);
}
:host([hidden]) { display: none; }
.tc {
  all: initial;
  display: block;
  box-sizing: border-box;
  font-family: var(--_font);
  font-size: var(--_size);
  line-height: 1.5;
  color: var(--_text);
  background: var(--_bg);
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  padding: 1em;
  text-align: start;
  min-height: 4em;
  container: tiercost / inline-size;
}
.tc *, .tc *::before, .tc *::after { box-sizing: border-box; }
h2 {
  font: inherit; font-weight: 700; font-size: 1.15em;
  margin: 0 0 .5em; padding: 0; color: var(--_text); border: 0; background: none;
  text-transform: none; letter-spacing: normal;
}
p { margin: .5em 0; padding: 0; }
.muted, .privacy, .note { color: var(--_muted); font-size: .875em; }
form {
  display: grid; gap: .75em;
  grid-template-columns: repeat(auto-fit, minmax(13em, 1fr));
  align-items: end; margin: 0;
}
label, .field { display: flex; flex-direction: column; gap: .25em; font-size: .9em; margin: 0; }
input, select, button {
  font: inherit; font-size: 1em; margin: 0; min-height: 2.5em;
  border-radius: var(--_radius); letter-spacing: normal; text-transform: none;
}
input, select {
  color: var(--_text); background: var(--_bg);
  border: 1px solid var(--_border); padding: .4em .6em; width: 100%;
}
input[aria-invalid="true"] { border-color: #b3261e; outline: 2px solid #b3261e; }
input:focus-visible, select:focus-visible, button:focus-visible {
  outline: 3px solid var(--_accent); outline-offset: 2px;
}
.checks { display: flex; flex-wrap: wrap; gap: .5em 1em; grid-column: 1 / -1; }
.checks label { flex-direction: row; align-items: center; gap: .4em; }
.checks input { width: auto; min-height: 0; }
button {
  cursor: pointer; padding: .4em 1.2em; font-weight: 600;
  color: var(--_on-accent); background: var(--_accent);
  border: 1px solid var(--_accent); box-shadow: none; width: auto; height: auto;
}
button:disabled { opacity: .6; cursor: default; }
.result { margin-top: 1em; }
dl.totals {
  display: grid; grid-template-columns: minmax(5.5em, 1fr) auto; gap: .25em 0; margin: 0; padding: 0;
}
dl.totals dt, dl.totals dd { margin: 0; padding: 0; }
dl.totals dd { padding-inline-start: 1em; }
dl.totals dd { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
dl.totals .share, dl.totals .share + dd { color: var(--_accent-text); font-weight: 600; }
dl.totals .remainder, dl.totals .remainder + dd {
  font-weight: 700; font-size: 1.25em; border-top: 1px solid var(--_border); padding-top: .25em;
}
dl.totals .remainder + dd { white-space: normal; }
table {
  width: 100%; border-collapse: collapse; margin: 1em 0 0; font-size: .9em;
  background: none; border: 0; table-layout: auto;
}
th, td {
  text-align: start; padding: .35em .5em; border: 0; border-bottom: 1px solid var(--_border);
  vertical-align: top; background: none; color: var(--_text); font-weight: normal;
}
th { font-weight: 600; color: var(--_muted); }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.mine td { color: var(--_accent-text); font-weight: 600; }
.error {
  margin: .75em 0 0; padding: .6em .8em; border-radius: var(--_radius);
  background: #fdecea; color: #5f1410; border: 1px solid #b3261e;
}
.error ul { margin: .25em 0 0; padding-inline-start: 1.2em; }
.error li { overflow-wrap: anywhere; font-size: .9em; }
.error .unavailable { margin: .5em 0 0; }
.error a { color: #5f1410; font-weight: 600; text-decoration: underline; overflow-wrap: anywhere; }
ul.warnings { margin: .75em 0 0; padding-inline-start: 1.2em; color: var(--_muted); font-size: .85em; }
.notes { margin-top: .75em; }
.notes p { white-space: pre-wrap; overflow-wrap: anywhere; }
.compact form { grid-template-columns: 1fr 1fr auto; }
@container tiercost (max-width: 30em) { .compact form { grid-template-columns: 1fr; } }
.compact .result dl.totals { font-size: 1em; }
[hidden] { display: none !important; }
`;
