// The API and the event stream, with the bearer token when the server asks for one (kept in sessionStorage: gone when
// the tab closes). Events are read with fetch, not EventSource, so that the token can be sent.
const TOKEN_KEY = 'tributary-token';
const state = { token: sessionStorage.getItem(TOKEN_KEY) || '', lastEventId: null, listeners: new Set(), streaming: false };
const tokenWaiters = [];

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function headers() {
  return state.token ? { Authorization: 'Bearer ' + state.token } : {};
}

async function call(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...headers(), ...(options.headers || {}) } });
  if (response.status === 401) {
    askForToken();
    throw new ApiError(401, 'this server needs an API token');
  }
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try { message = (await response.json()).message || message; } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, message);
  }
  return response;
}

/** GET (or another method with a JSON body) and the parsed JSON answer. */
export async function api(path, options = {}) {
  const init = { ...options };
  if (options.json !== undefined) {
    init.method = init.method || 'POST';
    init.body = JSON.stringify(options.json);
    init.headers = { 'Content-Type': 'application/json', ...(options.headers || {}) };
  }
  return (await call(path, init)).json();
}

/** The answer with its headers (for X-Total-Count). */
export async function apiResponse(path) {
  const response = await call(path);
  return { body: await response.json(), headers: response.headers };
}

export async function apiBlob(path) {
  return (await call(path)).blob();
}

/** Shows the token form; resolves every waiting caller once a token is given. */
export function askForToken() {
  const form = document.getElementById('token-form');
  if (!form.hidden) return;
  form.hidden = false;
  document.getElementById('token').focus();
  form.onsubmit = (e) => {
    e.preventDefault();
    state.token = document.getElementById('token').value.trim();
    sessionStorage.setItem(TOKEN_KEY, state.token);
    form.hidden = true;
    document.getElementById('token').value = '';
    while (tokenWaiters.length) tokenWaiters.shift()();
    if (!state.streaming) streamEvents();
  };
}

/** Calls fn after the next token is entered (the page reloads what a 401 stopped). */
export function onToken(fn) {
  tokenWaiters.push(fn);
}

/** Every event of /api/events goes to fn(type, data); returns a function that stops listening. */
export function onEvent(fn) {
  state.listeners.add(fn);
  return () => state.listeners.delete(fn);
}

function emit(type, data) {
  for (const fn of state.listeners) {
    try { fn(type, data); } catch (e) { console.warn('event listener', e); }
  }
}

function streamStatus(text) {
  const el = document.getElementById('stream-state');
  if (el) el.textContent = text;
  document.body.dataset.stream = text;
}

export async function streamEvents() {
  state.streaming = true;
  for (;;) {
    try {
      const h = headers();
      if (state.lastEventId) h['Last-Event-ID'] = state.lastEventId;
      const response = await fetch('api/events', { headers: h });
      if (response.status === 401) {
        streamStatus('(needs a token)');
        state.streaming = false;
        askForToken();
        return;
      }
      streamStatus('(connected)');
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
          if (data) emit(type, JSON.parse(data));
        }
      }
    } catch (e) {
      console.warn('event stream', e);
    }
    streamStatus('(reconnecting…)');
    await new Promise((r) => setTimeout(r, 2000));
  }
}
