// The console's entry: a router over the URL's fragment (#/ the overview, #/sources/<id> a source's page, with an
// optional /<section> to jump to), the token prompt and the one event stream every view listens to.
import { streamEvents, onToken } from './api.js';
import { showOverview, eventFeed } from './overview.js';
import { showSource } from './source.js';

const main = document.getElementById('view');
const events = eventFeed();
let stop = () => {};
let shown = null;

function route() {
  const hash = location.hash || '#/';
  const m = hash.match(/^#\/sources\/([^/]+)(?:\/([\w-]+))?$/);
  const key = m ? 'source:' + decodeURIComponent(m[1]) : 'overview';
  if (key !== shown) {
    stop();
    shown = key;
    stop = m ? showSource(main, decodeURIComponent(m[1])) : showOverview(main, events);
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  if (m && m[2]) {
    const target = document.getElementById(m[2]);
    if (target) target.scrollIntoView();
  }
}

window.addEventListener('hashchange', route);
// what a 401 stopped loads again once the token is given
onToken(() => { shown = null; route(); });
route();
streamEvents();
