// Pretty-prints a JSON value into a <pre> with light syntax colouring. Builds text nodes and spans only.

import { el } from './dom.js';

const MAX_CHARS = 200_000; // beyond this the value is cut for display; the key still holds all of it

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false)\b|\b(null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

export function renderJson(pre, value) {
  let text = JSON.stringify(value, null, 2) ?? 'undefined';
  let cut = false;
  if (text.length > MAX_CHARS) { text = text.slice(0, MAX_CHARS); cut = true; }
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const [all, str, colon, bool, nul, num] = m;
    if (str !== undefined) {
      parts.push(el(colon ? 'span.j-key' : 'span.j-str', {}, str));
      if (colon) parts.push(colon);
    } else if (bool !== undefined) parts.push(el('span.j-bool', {}, all));
    else if (nul !== undefined) parts.push(el('span.j-null', {}, all));
    else if (num !== undefined) parts.push(el('span.j-num', {}, all));
    last = m.index + all.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  if (cut) parts.push(el('span.j-cut', {}, `\n… cut after ${MAX_CHARS.toLocaleString('en-US')} characters`));
  pre.replaceChildren(...parts);
  return JSON.stringify(value)?.length ?? 0;
}
