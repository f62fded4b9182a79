// The console's entry point: routes, the sign-in guard, and the page lifecycle.

import {navigate, route, match, start} from './router.js';
import {onAuthChange, signedIn} from './auth.js';
import {session, applyTheme} from './session.js';
import {frame, dropFrame} from './layout.js';
import {h, replace} from './dom.js';
import {ApiError} from './api.js';

applyTheme(localStorage.getItem('console.theme'));

const chat = () => import('./pages/chat.js');
route('/signin', () => import('./pages/signin.js'), {public: true, bare: true});
route('/auth/callback', () => import('./pages/callback.js'), {public: true, bare: true});
route('/chat', chat);
route('/chat/:id', chat);
route('/usage', () => import('./pages/usage.js'));
route('/billing', () => import('./pages/billing.js'));
route('/billing/:result', () => import('./pages/billing.js'));
route('/keys', () => import('./pages/keys.js'));
route('/settings', () => import('./pages/settings.js'));
// the operator's console (pages/admin/): each page checks the credential's scopes itself
route('/admin', () => import('./pages/admin/accounts.js'));
route('/admin/accounts', () => import('./pages/admin/accounts.js'));
route('/admin/accounts/:id', () => import('./pages/admin/account.js'));
route('/admin/models', () => import('./pages/admin/models.js'));
route('/admin/rollouts', () => import('./pages/admin/rollouts.js'));
route('/admin/rollouts/:key', () => import('./pages/admin/rollout.js'));
route('/admin/tiers', () => import('./pages/admin/tiers.js'));
route('/admin/billing', () => import('./pages/admin/billing.js'));
route('/admin/audit', () => import('./pages/admin/audit.js'));
const notFound = {load: () => import('./pages/notfound.js')};

const app = document.getElementById('app');
let current = null; // {module, cleanup, route}
let generation = 0;

onAuthChange((event, detail) => {
  if (event === 'signedout') {
    session.clear();
    if (!location.pathname.startsWith('/signin')) {
      const next = detail?.reason ? `?next=${encodeURIComponent(location.pathname + location.search)}` : '';
      navigate(`/signin${next}`, {replace: true});
    }
  }
});

async function render() {
  const mine = ++generation;
  const path = location.pathname;
  if (path === '/' || path === '/index.html') {
    navigate(signedIn() ? '/chat' : '/signin', {replace: true});
    return;
  }
  const found = match(path) ?? {route: notFound, params: {}};
  const query = new URLSearchParams(location.search);
  if (!found.route.public && !signedIn()) {
    navigate(`/signin?next=${encodeURIComponent(path + location.search)}`, {replace: true});
    return;
  }
  // the page's modules download while the session's first calls are answered, not after them
  const loading = found.route.load();
  loading.catch(() => {}); // a failed import is said below, once the session is there
  if (!found.route.public && !session.me) {
    try {
      await session.load();
    } catch (e) {
      if (mine !== generation) return;
      if (e instanceof ApiError && e.status === 401) return; // signed out: the listener navigates
      replace(app, h('main', {id: 'main', class: 'page narrow'}, h('h1', {}, 'The console cannot start'),
        h('p', {role: 'alert'}, e.message), h('p', {}, h('a', {href: location.pathname}, 'Try again'))));
      return;
    }
    if (mine !== generation) return;
  }
  // the same page module for a new address (another conversation): let it update in place
  if (current && current.route === found.route.load && current.module.update && !found.route.bare) {
    current.module.update({params: found.params, query});
    frame(app);
    return;
  }
  let module;
  try {
    module = await loading;
  } catch {
    // e.g. the platform was upgraded while this tab was open: the files it names are another build's now
    if (mine === generation) {
      replace(app, h('main', {id: 'main', class: 'page narrow'}, h('h1', {}, 'The console cannot open this page'),
        h('p', {role: 'alert'}, 'Its files could not be loaded; the console may have been updated since this tab opened it.'),
        h('p', {}, h('button', {type: 'button', class: 'primary', onclick: () => location.reload()}, 'Reload'))));
    }
    return;
  }
  if (mine !== generation) return;
  if (current?.cleanup) current.cleanup();
  let container;
  if (found.route.bare || !signedIn()) {
    dropFrame();
    container = h('main', {id: 'main', tabindex: '-1'});
    replace(app, container);
  } else {
    container = frame(app);
    container.replaceChildren();
  }
  const cleanup = await module.render(container, {params: found.params, query});
  if (mine !== generation) {
    if (cleanup) cleanup();
    return;
  }
  current = {module, cleanup, route: found.route.load};
  const heading = container.querySelector('h1');
  document.title = heading ? `${heading.textContent} · Chat platform` : 'Chat platform';
  if (heading && !module.focusesItself) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({preventScroll: true});
  }
}

start(render);
