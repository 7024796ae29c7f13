// A source's page: summary and settings, plots, test query, historical import, import log and stored registrations.
import { api, apiResponse, apiBlob, onEvent } from './api.js';
import { el, fill, when, utc, every, span, ms, count, stateBadge, statusBadge, isoNow, table } from './format.js';
import { timePlot } from './plot.js';

const PAGE = 20;

function field(label, value, props = {}) {
  return [el('dt', {}, label), el('dd', props, value === null || value === undefined || value === '' ? '—' : value)];
}

function section(id, title, ...children) {
  return el('section', { id, 'aria-labelledby': id + '-title' }, el('h2', { id: id + '-title' }, title), ...children);
}

function labelled(id, label, input) {
  input.id = id;
  return el('div', { className: 'field' }, el('label', { htmlFor: id }, label), input);
}

function errorBox(id) {
  return el('p', { id, className: 'problem', role: 'alert', hidden: true });
}

function showError(box, e) {
  box.hidden = !e;
  box.textContent = e ? (e.message || String(e)) : '';
}

function base(id) {
  return 'api/sources/' + encodeURIComponent(id);
}

// ---------- summary and settings ----------

function renderSummary(box, s) {
  const why = s.intervalChange
    ? 'changed ' + when(s.intervalChange.at) + ' from ' + every(s.intervalChange.fromSeconds) + ' to '
      + every(s.intervalChange.toSeconds) + ': ' + s.intervalChange.reason
    : s.effectiveIntervalSeconds === s.updateFrequencySeconds ? 'as configured' : 'slowed after runs took long';
  const run = s.lastRun;
  box.replaceChildren(el('dl', { className: 'facts' },
    field('State', stateBadge(s.state), { id: 'source-state' }),
    s.pausedBecause ? field('Paused because', s.pausedBecause, { className: 'problem' }) : [],
    s.catchingUpFrom ? field('Catching up', 'from ' + utc(s.catchingUpFrom) + ' to ' + utc(s.catchingUpTo)
      + ': runs follow one another until the checkpoint reaches the database\'s clock', { id: 'source-catching-up' }) : [],
    (s.warnings || []).flatMap((w) => field('Statement warning', w, { className: 'problem' })),
    field('Checkpoint', s.checkpoint ? utc(s.checkpoint) : 'none yet (the first run imports from the start)'),
    field('Lag', s.lagSeconds === null || s.lagSeconds === undefined ? '—' : span(s.lagSeconds) + ' behind now', { id: 'source-lag' }),
    field('Effective interval', every(s.effectiveIntervalSeconds) + ' (configured ' + every(s.updateFrequencySeconds) + ')'),
    field('Why', why, { id: 'source-interval-why' }),
    field('Next run', when(s.nextRunAt)),
    field('Stored registrations', count(s.registrations), { id: 'source-stored', dataset: { count: String(s.registrations) } }),
    field('Last run', run ? run.status + ' · ' + when(run.lastStartedAt || run.startedAt)
      + (run.polls > 1 ? ' (the last of ' + count(run.polls) + ' idle polls since ' + when(run.startedAt) + ')' : '')
      + ' · ' + ms(run.durationMs) + ' · read ' + count(run.read)
      + (run.error ? ' · ' + run.error : run.note ? ' · ' + run.note : '') : 'not yet')));
}

function renderSettings(box, s) {
  const t = s.settings;
  const map = (m) => Object.keys(m || {}).length ? Object.entries(m).map(([k, v]) => k + ' = ' + v).join(', ') : '';
  box.replaceChildren(el('dl', { className: 'facts' },
    field('URL', s.url), field('Username', s.username), field('Password', t.password || 'none'),
    field('Member ID Source', s.memberIdSource), field('Time zone', s.timezone),
    field('Update frequency', every(s.updateFrequencySeconds)),
    field('Dialect', t.dialect || 'picked by the URL'), field('Start (first run)', utc(t.start)),
    field('Lookback', span(t.lookbackSeconds)), field('Settle', span(t.settleSeconds)),
    field('Fetch size', count(t.fetchSize)), field('Batch size', count(t.batchSize)),
    field('Max rows per minute', t.maxRowsPerMinute ? count(t.maxRowsPerMinute) : 'no cap'),
    field('Row cap per run now', t.rowCap === null ? 'none' : count(t.rowCap)),
    field('Query timeout', span(t.queryTimeoutSeconds)),
    field('Options', map(t.options)), field('Secrets', map(t.secrets)),
    field('Statement', el('pre', { className: 'statement' }, t.statement))));
}

// ---------- plots ----------

function plots(id) {
  const range = el('select', {}, el('option', { value: '24' }, 'last 24 hours'), el('option', { value: '168' }, 'last 7 days'),
    el('option', { value: '720' }, 'last 30 days'));
  const box = el('div', { id: 'plots', className: 'plots' });
  const error = errorBox('plots-error');
  let generation = 0;
  async function load() {
    const mine = ++generation;
    try {
      const hours = Number(range.value);
      const to = Date.now();
      const from = to - hours * 3600000;
      const points = (await api(base(id) + '/runs/points?hours=' + hours + '&kind=automatic,manual,historical'));
      if (mine !== generation) return;
      const label = (p) => p.polls > 1
        ? '#' + p.id + ' ' + count(p.polls) + ' idle ' + p.kind + ' polls from ' + new Date(p.startedAt).toLocaleString()
          + ' to ' + new Date(p.lastStartedAt).toLocaleString() + ', the longest ' + ms(p.durationMs)
        : '#' + p.id + ' ' + p.kind + ' ' + p.status + ' at ' + new Date(p.startedAt).toLocaleString()
          + ': ' + count(p.read) + ' rows in ' + ms(p.durationMs);
      const xy = (f) => points.map((p) => ({ x: Date.parse(p.startedAt), y: f(p), failed: p.status === 'failed', label: label(p) }));
      const intervals = points.filter((p) => p.effectiveIntervalSeconds !== null)
        .map((p) => ({ x: Date.parse(p.startedAt), y: p.effectiveIntervalSeconds / 60, failed: p.status === 'failed',
          label: label(p) + ', every ' + every(p.effectiveIntervalSeconds) }));
      box.replaceChildren(
        timePlot({ id: 'plot-rows', title: 'Rows read per run', unit: 'rows', from, to, points: xy((p) => p.read) }),
        timePlot({ id: 'plot-duration', title: 'Run duration', unit: 's', from, to, points: xy((p) => p.durationMs / 1000) }),
        timePlot({ id: 'plot-interval', title: 'Effective interval', unit: 'min', from, to, points: intervals, step: true }));
      box.dataset.runs = String(points.length);
      showError(error, null);
    } catch (e) { showError(error, e); }
  }
  range.onchange = load;
  return { node: section('plots-section', 'Runs over time', el('div', { className: 'inline-form' }, labelled('plot-range', 'Range', range)), error, box), load };
}

// ---------- test query ----------

function testQuery(id) {
  const from = el('input', { type: 'text', value: isoNow(-86400), inputmode: 'text', autocomplete: 'off', spellcheck: 'false' });
  const to = el('input', { type: 'text', value: isoNow(), autocomplete: 'off', spellcheck: 'false' });
  const run = el('button', { type: 'submit', id: 'tq-run' }, 'Run test query');
  const error = errorBox('tq-error');
  const result = el('div', { id: 'tq-result', 'aria-live': 'polite' });
  const form = el('form', { id: 'tq-form', className: 'inline-form' },
    labelled('tq-from', 'From (date or ISO timestamp, UTC)', from), labelled('tq-to', 'To (excluded)', to), run);
  form.onsubmit = async (e) => {
    e.preventDefault();
    run.disabled = true;
    result.replaceChildren(el('p', { className: 'muted' }, 'Running…'));
    try {
      const r = await api(base(id) + '/test-query', { json: { from: from.value, to: to.value } });
      showError(error, null);
      renderTestQuery(result, r);
    } catch (err) {
      result.replaceChildren();
      showError(error, err);
    } finally { run.disabled = false; }
  };
  return section('test-query', 'Test query',
    el('p', { className: 'muted' }, 'Runs the statement over a period and shows what it finds; writes nothing.'), form, error, result);
}

function renderTestQuery(box, r) {
  const fields = (f) => f && Object.keys(f).length ? JSON.stringify(f) : '';
  fill(box,
    r.error ? el('p', { className: 'problem', role: 'alert' }, 'The statement failed: ' + r.error) : null,
    el('dl', { className: 'facts' },
      field('Rows', count(r.rows), { id: 'tq-rows', dataset: { count: String(r.rows) } }),
      field('Would import', count(r.mapped)), field('Rejected', count(r.rejected)), field('Duplicates', count(r.duplicates)),
      field('Duration', ms(r.durationMs), { id: 'tq-duration' }), field('Window', utc(r.from) + ' → ' + utc(r.to)),
      field('Columns', (r.columns || []).join(', '), { id: 'tq-columns' })),
    el('h3', {}, 'Preview of mapped rows (first ' + r.sample.length + ')'),
    table('Preview of mapped rows', ['Reference', 'Member id', 'Member name', 'Date (UTC)', 'Team', 'Deleted', 'Custom fields'],
      r.sample.map((s) => el('tr', {}, el('td', {}, s.reference), el('td', {}, s.memberId), el('td', {}, s.memberName),
        el('td', {}, utc(s.date)), el('td', {}, s.teamName || ''), el('td', {}, s.deleted ? 'yes' : ''),
        el('td', { className: 'json' }, fields(s.fields)))), { id: 'tq-sample' }),
    r.rejections.length ? [el('h3', {}, 'Rejected rows'), table('Rejected rows', ['Row', 'Reference', 'Reason'],
      r.rejections.map((j) => el('tr', {}, el('td', {}, j.row), el('td', {}, j.reference || ''), el('td', {}, j.reason))),
      { id: 'tq-rejections' })] : null);
}

// ---------- historical import ----------

function historical(id, afterImport) {
  const from = el('input', { type: 'text', value: isoNow(-7 * 86400).slice(0, 10), autocomplete: 'off', spellcheck: 'false' });
  const to = el('input', { type: 'text', value: isoNow().slice(0, 10), autocomplete: 'off', spellcheck: 'false' });
  const start = el('button', { type: 'submit', id: 'imp-start' }, 'Import');
  const error = errorBox('imp-error');
  const bar = el('progress', { id: 'imp-progress', max: '100', value: '0', 'aria-labelledby': 'imp-status' });
  const status = el('p', { id: 'imp-status', 'aria-live': 'polite' });
  const cancel = el('button', { type: 'button', id: 'imp-cancel' }, 'Cancel import');
  const live = el('div', { id: 'imp-live', hidden: true }, bar, status, cancel);
  const past = el('div', { id: 'imp-past' });
  let current = null;

  function show(p) {
    bar.value = p.percent;
    bar.dataset.percent = String(Math.round(p.percent));
    live.dataset.state = p.state;
    status.textContent = p.state + ' · chunk ' + p.chunk + ' of ' + p.chunks + ' · ' + count(p.rows) + ' rows read · '
      + Math.round(p.percent) + ' %' + (p.etaSeconds ? ' · about ' + span(p.etaSeconds) + ' left' : '');
    cancel.hidden = p.state !== 'running';
  }
  async function loadPast() {
    try {
      const imports = await api('api/imports?source=' + encodeURIComponent(id) + '&limit=20');
      past.replaceChildren(table('Past imports', ['Started', 'Range', 'Outcome', 'Chunks', 'Rows read / new / upd. / same / rej.', 'Error'],
        imports.map((i) => el('tr', { dataset: { import: i.id, status: i.status } }, el('td', {}, when(i.createdAt)),
          el('td', {}, utc(i.from) + ' → ' + utc(i.to)), el('td', {}, statusBadge(i.status)),
          el('td', {}, i.chunk + ' / ' + i.chunks),
          el('td', {}, [i.rows.read, i.rows.inserted, i.rows.updated, i.rows.unchanged, i.rows.rejected].map(count).join(' / ')),
          el('td', { className: 'problem' }, i.error || '')))));
      const running = imports.find((i) => i.status === 'running');
      if (running && !current) {
        current = running.id;
        live.hidden = false;
        show({ ...running, state: running.status, rows: running.rows.read });
      }
    } catch (e) { showError(error, e); }
  }
  const form = el('form', { id: 'imp-form', className: 'inline-form' },
    labelled('imp-from', 'Start (date or ISO timestamp, UTC)', from), labelled('imp-to', 'End (excluded)', to), start);
  form.onsubmit = async (e) => {
    e.preventDefault();
    start.disabled = true;
    try {
      const i = await api(base(id) + '/imports', { json: { from: from.value, to: to.value } });
      current = i.id;
      live.hidden = false;
      live.dataset.import = i.id;
      show({ ...i, state: i.status, rows: i.rows.read });
      showError(error, null);
      if (latest.has(i.id)) follow(latest.get(i.id)); else loadPast();
    } catch (err) { showError(error, err); } finally { start.disabled = false; }
  };
  cancel.onclick = async () => {
    if (!current) return;
    cancel.disabled = true;
    try { await api('api/imports/' + encodeURIComponent(current), { method: 'DELETE' }); }
    catch (err) { showError(error, err); } finally { cancel.disabled = false; }
  };
  // the last event of every import: a short import may report before the answer to its start arrives
  const latest = new Map();
  function follow(p) {
    show(p);
    if (p.state !== 'running') {
      loadPast();
      afterImport();
    }
  }
  function onProgress(data) {
    latest.set(data.importId, data);
    if (data.importId === current) follow(data);
  }
  return {
    node: section('import', 'Import historical data',
      el('p', { className: 'muted' }, 'Imports a range in chunks, resumable and cancellable; the checkpoint does not move.'),
      form, error, live, el('h3', {}, 'Past imports'), past),
    loadPast, onProgress,
  };
}

// ---------- import log ----------

function importLog(id) {
  const statuses = ['succeeded', 'failed', 'running'];
  const kinds = ['automatic', 'manual', 'historical', 'test'];
  const box = (name, values) => el('fieldset', { className: 'checks' }, el('legend', {}, name),
    values.map((v) => el('label', {}, el('input', { type: 'checkbox', name, value: v }), ' ' + v)));
  const statusBox = box('status', statuses);
  const kindBox = box('kind', kinds);
  const prev = el('button', { type: 'button', id: 'log-prev' }, '← Newer');
  const next = el('button', { type: 'button', id: 'log-next' }, 'Older →');
  const position = el('span', { id: 'log-position', 'aria-live': 'polite' });
  const error = errorBox('log-error');
  const body = el('div', { id: 'log' });
  let offset = 0;
  const checked = (fs) => [...fs.querySelectorAll('input:checked')].map((i) => i.value).join(',');

  let generation = 0;
  async function load() {
    // only the answer to the latest request is drawn: a slow earlier one must not overwrite a newer filter
    const mine = ++generation;
    try {
      const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
      if (checked(statusBox)) q.set('status', checked(statusBox));
      if (checked(kindBox)) q.set('kind', checked(kindBox));
      const { body: runs, headers } = await apiResponse(base(id) + '/runs?' + q);
      if (mine !== generation) return;
      const total = Number(headers.get('X-Total-Count') || runs.length);
      position.textContent = total ? 'runs ' + (offset + 1) + '–' + (offset + runs.length) + ' of ' + total : 'no runs match';
      prev.disabled = offset === 0;
      next.disabled = offset + runs.length >= total;
      const rows = [];
      for (const r of runs) {
        rows.push(el('tr', { dataset: { run: String(r.id), status: r.status, kind: r.kind } },
          // consecutive idle automatic runs come as one row: polls runs, started from startedAt to lastStartedAt
          el('td', {}, '#' + r.id), el('td', {}, r.polls > 1 ? r.kind + ' · ' + count(r.polls) + ' idle polls' : r.kind),
          // complete is false for a run that stopped at the row cap (when the API says so)
          el('td', {}, statusBadge(r.status), r.complete === false ? [' ', el('span', { className: 'status tone-warn' }, 'capped')] : null),
          el('td', {}, r.polls > 1 ? when(r.startedAt) + ' → ' + when(r.lastStartedAt) : when(r.startedAt)),
          el('td', {}, utc(r.windowFrom) + ' → ' + utc(r.windowTo)), el('td', {}, ms(r.durationMs)),
          el('td', {}, [r.read, r.inserted, r.updated, r.unchanged, r.deleted, r.rejected, r.duplicates].map(count).join(' / ')),
          el('td', {}, every(r.effectiveIntervalSeconds))));
        if (r.error || r.note || r.rejections.length) {
          rows.push(el('tr', { className: 'detail', dataset: { detailOf: String(r.id) } }, el('td', { colSpan: 8 },
            r.error ? el('p', { className: 'problem run-error' }, 'Error: ' + r.error) : null,
            r.note ? el('p', { className: 'note' }, 'Note: ' + r.note) : null,
            r.rejections.length ? el('details', {}, el('summary', {}, r.rejected + ' rejected, ' + r.rejections.length + ' sampled'),
              el('ul', {}, r.rejections.map((j) => el('li', {}, 'row ' + j.row + (j.reference ? ' (' + j.reference + ')' : '')
                + ': ' + j.reason)))) : null)));
        }
      }
      body.replaceChildren(table('Import log', ['Run', 'Kind', 'Status', 'Started', 'Window (UTC)', 'Duration',
        'Rows: read / new / upd. / same / del. / rej. / dup.', 'Interval'], rows, { id: 'log-table' }));
      showError(error, null);
    } catch (e) { showError(error, e); }
  }
  const refilter = () => { offset = 0; load(); };
  statusBox.onchange = refilter;
  kindBox.onchange = refilter;
  prev.onclick = () => { offset = Math.max(0, offset - PAGE); load(); };
  next.onclick = () => { offset += PAGE; load(); };
  return {
    node: section('log-section', 'Import log', el('div', { className: 'filters' }, statusBox, kindBox), error, body,
      el('div', { className: 'pager' }, prev, position, next)),
    load, firstPage: () => offset === 0,
  };
}

// ---------- stored registrations ----------

function registrations(id) {
  const from = el('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: '2024-01-01' });
  const to = el('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: '2024-02-01' });
  const reference = el('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const error = errorBox('reg-error');
  const body = el('div', { id: 'registrations' });
  const more = el('button', { type: 'button', id: 'reg-more', hidden: true }, 'Next page');
  const csv = el('button', { type: 'button', id: 'reg-csv' }, 'Download CSV');
  let cursors = [];
  const query = () => {
    const q = new URLSearchParams();
    if (from.value.trim()) q.set('from', from.value.trim());
    if (to.value.trim()) q.set('to', to.value.trim());
    if (reference.value.trim()) q.set('reference', reference.value.trim());
    return q;
  };
  let generation = 0;
  async function load(after) {
    const mine = ++generation;
    try {
      const q = query();
      q.set('limit', String(PAGE));
      if (after) q.set('after', after);
      const page = await api(base(id) + '/registrations?' + q);
      if (mine !== generation) return;
      body.replaceChildren(table('Stored registrations', ['Date (UTC)', 'Reference', 'Member id', 'Member name', 'Team', 'Deleted',
        'Custom fields'], page.registrations.map((r) => el('tr', {}, el('td', {}, utc(r.date)), el('td', {}, r.reference),
        el('td', {}, r.memberId), el('td', {}, r.memberName || ''), el('td', {}, r.teamName || ''), el('td', {}, r.deleted ? 'yes' : ''),
        el('td', { className: 'json' }, JSON.stringify(r.fields))))));
      cursors = [page.next];
      more.hidden = !page.next;
      showError(error, null);
    } catch (e) { showError(error, e); }
  }
  const form = el('form', { className: 'inline-form' }, labelled('reg-from', 'From', from), labelled('reg-to', 'To', to),
    labelled('reg-reference', 'Reference', reference), el('button', { type: 'submit' }, 'Show'), csv);
  form.onsubmit = (e) => { e.preventDefault(); load(null); };
  more.onclick = () => load(cursors[0]);
  csv.onclick = async () => {
    try {
      // fetched rather than linked, so that the token goes with it
      const blob = await apiBlob(base(id) + '/registrations.csv?' + query());
      const a = el('a', { href: URL.createObjectURL(blob), download: id + '-registrations.csv' });
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    } catch (e) { showError(error, e); }
  };
  return { node: section('registrations-section', 'Stored registrations', form, error, body, more), load };
}

// ---------- the page ----------

/** Renders the page of source id into main; returns a function that stops its listeners. */
export function showSource(main, id) {
  document.title = id + ' · Tributary';
  const summary = el('div', { id: 'source-summary' }, el('p', { className: 'muted' }, 'Loading…'));
  const settings = el('div', { id: 'source-settings' });
  const runNow = el('button', { type: 'button', id: 'run-now' }, 'Run now');
  const error = errorBox('source-error');
  const plot = plots(id);
  const log = importLog(id);
  const regs = registrations(id);
  async function loadSource() {
    try {
      const s = await api(base(id));
      renderSummary(summary, s);
      renderSettings(settings, s);
      document.getElementById('summary').textContent = id + ': ' + s.state + ' · updated ' + new Date().toLocaleTimeString();
      showError(error, null);
    } catch (e) { showError(error, e); }
  }
  const imp = historical(id, () => { loadSource(); log.load(); regs.load(null); });
  runNow.onclick = async () => {
    runNow.disabled = true;
    try { await api(base(id) + '/run', { method: 'POST' }); } catch (e) { showError(error, e); }
    finally { runNow.disabled = false; }
  };
  main.replaceChildren(
    el('nav', { className: 'crumbs', 'aria-label': 'Breadcrumb' }, el('a', { href: '#/' }, 'All sources'), ' / ', id),
    el('h2', { id: 'source-title', className: 'source-title' }, id, ' ', runNow),
    el('nav', { className: 'jump', 'aria-label': 'On this page' }, [['summary-section', 'Summary'], ['plots-section', 'Plots'],
      ['test-query', 'Test query'], ['import', 'Historical import'], ['log-section', 'Import log'],
      ['registrations-section', 'Registrations'], ['settings-section', 'Settings']]
      .map(([a, t]) => el('a', { href: '#/sources/' + encodeURIComponent(id) + '/' + a, dataset: { target: a } }, t))),
    error,
    section('summary-section', 'Summary', summary),
    plot.node, testQuery(id), imp.node, log.node, regs.node,
    section('settings-section', 'Settings as Tributary understood them', settings));
  let pending = null;
  const stop = onEvent((type, data) => {
    if (data.source !== id) return;
    if (type === 'import-progress') imp.onProgress(data);
    if (type === 'run-started' || type === 'run-finished' || type === 'run-failed' || type === 'interval-changed') {
      if (!pending) {
        pending = setTimeout(() => {
          pending = null;
          loadSource();
          plot.load();
          if (log.firstPage()) log.load();
        }, 300);
      }
    }
  });
  loadSource();
  plot.load();
  imp.loadPast();
  log.load();
  regs.load(null);
  return () => { stop(); clearTimeout(pending); };
}
