// www/lib/share.js — pack a JSON value into a URL-safe compressed string and back, with the
// browser's CompressionStream ("deflate-raw") and base64url. No server involved.
//
// API (stable):
//   await pack(value)    → "d1.<base64url>" (compressed JSON)
//   await unpack(str)    → the value (throws on a malformed string)

async function streamBytes(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64url(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(s) {
  const b = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

export async function pack(value) {
  const json = new TextEncoder().encode(JSON.stringify(value));
  const z = await streamBytes(json, new CompressionStream("deflate-raw"));
  return `d1.${toBase64url(z)}`;
}

export async function unpack(str) {
  if (!str.startsWith("d1.")) throw new Error("unknown share format");
  const z = fromBase64url(str.slice(3));
  const json = await streamBytes(z, new DecompressionStream("deflate-raw"));
  return JSON.parse(new TextDecoder().decode(json));
}
