// Tiny DOM helpers. Text always goes in through textContent, never innerHTML, so server data cannot inject markup.

export const $ = (sel, root = document) => root.querySelector(sel);

/** el('td.num', {title: 'x'}, 'text', childNode …) */
export function el(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const node = document.createElement(name);
  if (classes.length) node.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function setText(sel, text, root = document) {
  const node = typeof sel === 'string' ? $(sel, root) : sel;
  if (node && node.textContent !== text) node.textContent = text;
}

let toastTimer;
/** A short message at the bottom of the page; kind = 'ok' | 'error'. */
export function toast(message, kind = 'ok') {
  const box = $('#toast');
  box.textContent = message;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
}
