// Tributary status page: sources from /api/sources, live events from /api/events (read with fetch, not
// EventSource, so that a bearer token can be sent when the server requires one).
'use strict';

const state = { token: sessionStorage.getItem('tributary-token') || '', lastEventId: null, events: [] };

function headers() {
  return state.token ? { Authorization: 'Bearer ' + state.token } : {};
}

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...headers(), ...(options.headers || {}) } });
  if (response.status === 401) {
    askForToken();
    throw new Error('unauthorized');
  }
  if (!response.ok) {
    throw new Error(response.status + ' ' + (await response.text()));
  }
  return response.json();
}

function askForToken() {
  const form = document.getElementById('token-form');
  form.hidden = false;
  form.onsubmit = (e) => {
    e.preventDefault();
    state.token = document.getElementById('token').value.trim();
    sessionStorage.setItem('tributary-token', state.token);
    form.hidden = true;
    refresh();
    streamEvents();
  };
}

function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString();
}

function every(seconds) {
  if (seconds % 3600 === 0) return seconds / 3600 + ' h';
  if (seconds % 60 === 0) return seconds / 60 + ' min';
  return seconds + ' s';
}

function cell(row, content, className) {
  const td = document.createElement('td');
  if (content instanceof Node) td.appendChild(content); else td.textContent = text(content);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function renderSources(sources) {
  const body = document.querySelector('#sources tbody');
  body.replaceChildren();
  for (const s of sources) {
    const tr = document.createElement('tr');
    tr.dataset.source = s.id;
    cell(tr, s.id);
    const badge = document.createElement('span');
    badge.className = 'state state-' + s.state;
    badge.textContent = s.state;
    cell(tr, badge);
    const interval = s.effectiveIntervalSeconds !== s.updateFrequencySeconds
      ? every(s.effectiveIntervalSeconds) + ' (slowed from ' + every(s.updateFrequencySeconds) + ')'
      : every(s.updateFrequencySeconds);
    cell(tr, interval);
    const run = s.lastRun;
    cell(tr, run ? run.status + ', ' + when(run.startedAt) + ', ' + run.durationMs + ' ms' : 'not yet');
    cell(tr, run ? [run.read, run.inserted, run.updated, run.unchanged, run.rejected].join(' / ') : '');
    cell(tr, when(s.checkpoint));
    cell(tr, s.registrations);
    cell(tr, when(s.nextRunAt));
    const button = document.createElement('button');
    button.textContent = 'Run now';
    button.onclick = async () => {
      button.disabled = true;
      button.textContent = 'Running…';
      try { await api('api/sources/' + encodeURIComponent(s.id) + '/run', { method: 'POST' }); }
      catch (e) { console.warn(e); }
      finally { refresh(); }
    };
    cell(tr, button);
    body.appendChild(tr);
    if (run && (run.error || run.note)) {
      const detail = document.createElement('tr');
      const td = cell(detail, (run.error ? 'Error: ' + run.error : 'Note: ' + run.note), run.error ? 'problem' : 'note');
      td.colSpan = 9;
      body.appendChild(detail);
    }
  }
  const failing = sources.filter((s) => s.state === 'failing' || s.state === 'paused').length;
  document.getElementById('summary').textContent = sources.length + ' source(s), ' +
    (failing ? failing + ' with problems' : 'all healthy') + ' · updated ' + new Date().toLocaleTimeString();
}

async function refresh() {
  try {
    renderSources(await api('api/sources'));
  } catch (e) {
    if (e.message !== 'unauthorized') document.getElementById('summary').textContent = 'Cannot load sources: ' + e.message;
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
    default: return type;
  }
}

function addEvent(type, data) {
  const list = document.getElementById('events');
  const li = document.createElement('li');
  li.dataset.type = type;
  li.dataset.source = data.source;
  li.textContent = new Date(data.at).toLocaleTimeString() + ' · ' + data.source + ' · ' + describe(type, data);
  list.prepend(li);
  while (list.children.length > 100) list.lastChild.remove();
  if (type === 'run-finished' || type === 'run-failed' || type === 'interval-changed') refresh();
}

async function streamEvents() {
  const status = document.getElementById('stream-state');
  for (;;) {
    try {
      const h = headers();
      if (state.lastEventId) h['Last-Event-ID'] = state.lastEventId;
      const response = await fetch('api/events', { headers: h });
      if (response.status === 401) { askForToken(); status.textContent = '(needs a token)'; return; }
      status.textContent = '(connected)';
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = 'message', data = '', id = null;
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5);
            else if (line.startsWith('id:')) id = line.slice(3).trim();
          }
          if (id) state.lastEventId = id;
          if (data) addEvent(type, JSON.parse(data));
        }
      }
    } catch (e) {
      console.warn('event stream', e);
    }
    status.textContent = '(reconnecting…)';
    await new Promise((r) => setTimeout(r, 2000));
  }
}

refresh();
setInterval(refresh, 10000);
streamEvents();
