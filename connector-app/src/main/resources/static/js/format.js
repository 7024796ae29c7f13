// Small helpers for building markup and writing numbers, times and durations for people.

const PROPERTIES = new Set(['className', 'textContent', 'hidden', 'colSpan', 'htmlFor', 'value', 'disabled', 'checked']);

/** el('td', {className: 'x', dataset: {...}}, child, 'text', ...) */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (typeof v === 'function' || PROPERTIES.has(k)) node[k] = v;
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Replaces the children of node with these, skipping null and false and flattening arrays (as el does). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat(2).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

export function when(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString();
}

export function utc(iso) {
  return iso ? new Date(iso).toISOString().replace('.000Z', 'Z') : '—';
}

export function every(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds >= 3600 && seconds % 3600 === 0) return seconds / 3600 + ' h';
  if (seconds >= 60 && seconds % 60 === 0) return seconds / 60 + ' min';
  return seconds + ' s';
}

/** 75 s → "1 min 15 s", 90061 s → "1 d 1 h" */
export function span(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
  if (s < 86400) return Math.floor(s / 3600) + ' h' + (Math.floor(s / 60) % 60 ? ' ' + (Math.floor(s / 60) % 60) + ' min' : '');
  return Math.floor(s / 86400) + ' d' + (Math.floor(s / 3600) % 24 ? ' ' + (Math.floor(s / 3600) % 24) + ' h' : '');
}

export function ms(millis) {
  if (millis === null || millis === undefined) return '—';
  return millis < 1000 ? millis + ' ms' : (millis / 1000).toFixed(millis < 10000 ? 2 : 1) + ' s';
}

export function count(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en');
}

/**
 * The colour of a state by a small table, with a default: states this page does not know yet (core may add some)
 * still show, in the neutral colour.
 */
const STATE_TONES = { idle: 'ok', running: 'busy', 'catching-up': 'warn', failing: 'bad', stalled: 'bad', paused: 'bad' };
/** States that need an operator's eye on the overview. */
export const ATTENTION = new Set(['catching-up', 'failing', 'stalled', 'paused']);

export function stateBadge(value) {
  const tone = STATE_TONES[value] || 'unknown';
  return el('span', { className: 'state tone-' + tone, dataset: { state: value } }, value);
}

const STATUS_TONES = { succeeded: 'ok', running: 'busy', failed: 'bad', cancelled: 'warn' };
export function statusBadge(value) {
  return el('span', { className: 'status tone-' + (STATUS_TONES[value] || 'unknown') }, value);
}

/** An ISO timestamp typed by a person, in UTC as the API wants it: a date or a timestamp with a zone. */
export function isoNow(offsetSeconds = 0) {
  return new Date(Date.now() + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A table inside a horizontally scrolling box (narrow screens), with a caption for screen readers. */
export function table(caption, headings, rows, props = {}) {
  return el('div', { className: 'scroll' }, el('table', props,
    el('caption', { className: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows)));
}
