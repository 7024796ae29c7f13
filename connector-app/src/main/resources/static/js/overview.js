// The overview: every source with its state, interval, last run, checkpoint and stored count, a "Run now" button, and
// the live event feed. It reloads when a run ends or an interval changes, and at least every 10 s.
import { api, onEvent } from './api.js';
import { el, when, every, count, span, stateBadge, ATTENTION } from './format.js';

function intervalText(s) {
  return s.effectiveIntervalSeconds !== s.updateFrequencySeconds
    ? every(s.effectiveIntervalSeconds) + ' (slowed from ' + every(s.updateFrequencySeconds) + ')'
    : every(s.updateFrequencySeconds);
}

function sourceRows(sources, reload) {
  const rows = [];
  for (const s of sources) {
    const run = s.lastRun;
    const button = el('button', { type: 'button', 'aria-label': 'Run ' + s.id + ' now' }, 'Run now');
    button.onclick = async () => {
      button.disabled = true;
      button.textContent = 'Running…';
      try { await api('api/sources/' + encodeURIComponent(s.id) + '/run', { method: 'POST' }); }
      catch (e) { console.warn(e); }
      finally { reload(); }
    };
    const tr = el('tr', { dataset: { source: s.id, state: s.state } },
      el('th', { scope: 'row' }, el('a', { href: '#/sources/' + encodeURIComponent(s.id) }, s.id)),
      el('td', {}, stateBadge(s.state)),
      el('td', {}, intervalText(s)),
      el('td', {}, run ? run.status + ', ' + when(run.startedAt) + ', ' + run.durationMs + ' ms' : 'not yet'),
      el('td', {}, run ? [run.read, run.inserted, run.updated, run.unchanged, run.rejected].join(' / ') : ''),
      el('td', {}, when(s.checkpoint), s.lagSeconds !== null && s.lagSeconds !== undefined
        ? el('span', { className: 'muted' }, ' (' + span(s.lagSeconds) + ' behind)') : null),
      el('td', {}, count(s.registrations)),
      el('td', {}, when(s.nextRunAt)),
      el('td', {}, button));
    rows.push(tr);
    if (run && (run.error || run.note)) {
      rows.push(el('tr', { className: 'detail' }, el('td', { colSpan: 9, className: run.error ? 'problem' : 'note' },
        run.error ? 'Error: ' + run.error : 'Note: ' + run.note)));
    }
  }
  return rows;
}

/**
 * Replaces the rows only when they changed, and gives the focus back to the same source's button, so that a keyboard
 * user does not lose their place at each reload.
 */
function render(tbody, rows) {
  const fresh = document.createElement('tbody');
  fresh.replaceChildren(...rows);
  if (fresh.innerHTML === tbody.innerHTML) return;
  const focused = document.activeElement && tbody.contains(document.activeElement)
    ? document.activeElement.closest('tr[data-source]') : null;
  tbody.replaceChildren(...rows);
  if (focused) {
    const again = tbody.querySelector('tr[data-source="' + CSS.escape(focused.dataset.source) + '"] button');
    if (again) again.focus();
  }
}

function describe(type, data) {
  const run = data.run;
  switch (type) {
    case 'run-started': return 'run ' + data.runId + ' (' + data.kind + ') started';
    case 'run-progress': return 'run ' + data.runId + ': read ' + data.read + ', written ' + data.written;
    case 'run-finished': return 'run ' + run.id + ' finished: read ' + run.read + ', new ' + run.inserted +
      ', updated ' + run.updated + ', unchanged ' + run.unchanged + ', rejected ' + run.rejected;
    case 'run-failed': return 'run ' + run.id + ' failed: ' + run.error;
    case 'interval-changed': return 'interval ' + every(data.fromSeconds) + ' → ' + every(data.toSeconds) + ': ' + data.reason;
    case 'import-progress': return 'import ' + data.importId + ': chunk ' + data.chunk + ' of ' + data.chunks +
      ' (' + Math.round(data.percent) + ' %)';
    case 'plecto-wait': return 'Plecto: a request waits ' + data.waitSeconds + ' s for ' +
      (data.reason === 'budget' ? 'the request budget' : "a 429's Retry-After");
    case 'source-stalled': return 'not making progress: ' + data.reason;
    case 'reset': return data.message;
    default: return type;
  }
}

/** Renders the overview into main; returns a function that stops its timers and listeners. */
export function showOverview(main, events) {
  document.title = 'Tributary';
  const summary = document.getElementById('summary');
  const tbody = el('tbody');
  main.replaceChildren(
    el('section', { 'aria-labelledby': 'sources-title' },
      el('h2', { id: 'sources-title' }, 'Sources'),
      el('div', { className: 'scroll' }, el('table', { id: 'sources' },
        el('caption', { className: 'visually-hidden' }, 'Sources, their state and last run'),
        el('thead', {}, el('tr', {}, ['Source', 'State', 'Every', 'Last run',
          'Rows: read / new / upd. / same / rej.', 'Checkpoint', 'Stored', 'Next run', ''].map((h) => el('th', { scope: 'col' }, h)))),
        tbody))),
    el('section', { 'aria-labelledby': 'events-title' },
      el('h2', { id: 'events-title' }, 'Live events ', el('span', { id: 'stream-state', className: 'muted' },
        document.body.dataset.stream || '')),
      events));

  let pending = null;
  async function reload() {
    try {
      const sources = await api('api/sources');
      render(tbody, sourceRows(sources, reload));
      const attention = sources.filter((s) => ATTENTION.has(s.state));
      summary.textContent = sources.length + ' source(s), ' + (attention.length
        ? attention.length + ' need attention (' + attention.map((s) => s.id + ': ' + s.state).join(', ') + ')'
        : 'all healthy') + ' · updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      if (e.status !== 401) summary.textContent = 'Cannot load sources: ' + e.message;
    }
  }
  // several events at once reload once
  function soon() {
    if (!pending) pending = setTimeout(() => { pending = null; reload(); }, 200);
  }
  const stop = onEvent((type) => {
    if (type === 'run-started' || type === 'run-finished' || type === 'run-failed' || type === 'interval-changed'
      || type === 'reset') soon();
  });
  const timer = setInterval(reload, 10000);
  reload();
  return () => { stop(); clearInterval(timer); clearTimeout(pending); };
}

/** The feed of live events: one list for the whole page, kept across views. */
export function eventFeed() {
  const list = el('ol', { id: 'events', reversed: '', 'aria-live': 'off' });
  onEvent((type, data) => {
    const li = el('li', { dataset: { type, source: text(data.source) } },
      (data.at ? new Date(data.at).toLocaleTimeString() : '') + ' · ' + text(data.source) + ' · ' + describe(type, data));
    list.prepend(li);
    while (list.children.length > 100) list.lastChild.remove();
  });
  return list;
}

function text(v) { return v === null || v === undefined ? '' : String(v); }
