// Plots as plain inline SVG: no library, nothing fetched. Each plot is a <figure> whose SVG has role="img" and a
// label that says what it shows in words, with one <circle class="point"> per run and a red mark per failed run.
const NS = 'http://www.w3.org/2000/svg';
const W = 640, H = 200, LEFT = 56, RIGHT = 12, TOP = 12, BOTTOM = 28;

function svg(tag, attrs = {}, textContent) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (textContent !== undefined) node.textContent = textContent;
  return node;
}

/** 1, 2, 5 × 10^n steps: about four lines on the y axis. */
function niceMax(max) {
  if (max <= 0) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(max)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= max) return m * power;
  return 10 * power;
}

function tickLabel(value) {
  if (value >= 1e6) return (value / 1e6).toLocaleString('en', { maximumFractionDigits: 1 }) + 'M';
  if (value >= 1e4) return (value / 1e3).toLocaleString('en', { maximumFractionDigits: 1 }) + 'k';
  return value.toLocaleString('en', { maximumFractionDigits: 2 });
}

function timeLabel(ms, rangeMs) {
  const d = new Date(ms);
  return rangeMs <= 2 * 86400000
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

/**
 * @param {object} o
 * @param {string} o.id       the figure's id
 * @param {string} o.title    the caption
 * @param {string} o.unit     what y is, for the label ("rows", "s", "min")
 * @param {number} o.from     x range start (ms since epoch)
 * @param {number} o.to       x range end
 * @param {Array<{x:number,y:number,failed:boolean,label:string}>} o.points oldest first
 * @param {boolean} [o.step]  draw steps (a value holds until the next point) instead of straight lines
 */
export function timePlot(o) {
  const figure = document.createElement('figure');
  figure.id = o.id;
  figure.className = 'plot';
  const max = niceMax(Math.max(0, ...o.points.map((p) => p.y)));
  const range = Math.max(1, o.to - o.from);
  const x = (v) => LEFT + ((v - o.from) / range) * (W - LEFT - RIGHT);
  const y = (v) => TOP + (1 - v / max) * (H - TOP - BOTTOM);
  const failed = o.points.filter((p) => p.failed).length;
  const label = o.title + ': ' + (o.points.length ? o.points.length + ' run(s) from ' + new Date(o.from).toLocaleString()
    + ', highest ' + tickLabel(Math.max(...o.points.map((p) => p.y))) + ' ' + o.unit + ', ' + failed + ' failed'
    : 'no runs in this range');
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label,
    'data-points': String(o.points.length), 'data-failed': String(failed) });
  root.appendChild(svg('title', {}, label));
  const axes = svg('g', { class: 'axes' });
  for (let i = 0; i <= 4; i++) {
    const v = (max / 4) * i;
    axes.appendChild(svg('line', { x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), class: i ? 'grid' : 'axis' }));
    axes.appendChild(svg('text', { x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end' }, tickLabel(v)));
  }
  for (let i = 0; i <= 4; i++) {
    const t = o.from + (range / 4) * i;
    axes.appendChild(svg('text', { x: x(t), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' },
      timeLabel(t, range)));
  }
  axes.appendChild(svg('text', { x: 4, y: TOP + 2, class: 'unit', 'dominant-baseline': 'hanging' }, o.unit));
  root.appendChild(axes);
  for (const p of o.points.filter((p) => p.failed)) {
    root.appendChild(svg('line', { x1: x(p.x), x2: x(p.x), y1: TOP, y2: H - BOTTOM, class: 'failed-mark' }));
  }
  if (o.points.length > 1) {
    let d = '';
    o.points.forEach((p, i) => {
      if (i === 0) d += `M${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`;
      else if (o.step) d += `H${x(p.x).toFixed(1)}V${y(p.y).toFixed(1)}`;
      else d += `L${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`;
    });
    if (o.step) d += `H${x(o.to).toFixed(1)}`;
    root.appendChild(svg('path', { d, class: 'line' }));
  }
  const dots = svg('g', { class: 'points' });
  for (const p of o.points) {
    const c = svg('circle', { cx: x(p.x).toFixed(1), cy: y(p.y).toFixed(1), r: p.failed ? 3.5 : 2.5,
      class: p.failed ? 'point failed' : 'point' });
    c.appendChild(svg('title', {}, p.label));
    dots.appendChild(c);
  }
  root.appendChild(dots);
  figure.appendChild(root);
  const caption = document.createElement('figcaption');
  caption.textContent = o.title + (failed ? ' · ' + failed + ' failed run(s) marked in red' : '');
  figure.appendChild(caption);
  return figure;
}
