// Small DOM helpers. Text from the server is always set as text, never parsed as HTML.

/** Creates an element: h('div.row', {onclick, dataset: {…}, …}, child, "text", …). */
export function h(spec, props = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'style') Object.assign(el.style, value);
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name in el && name !== 'list') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A time as the user's clock shows it. */
export function clock(value) {
  if (!value) return '';
  return new Date(value).toLocaleTimeString(undefined, { hour12: false });
}

/** Milliseconds for a human: 12 ms, 1.25 s. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A random id that works outside secure contexts too (crypto.randomUUID does not). */
export function randomId(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return prefix + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}
