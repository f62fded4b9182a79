// The frame around every signed-in page: top bar with the main navigation and the account, and the <main>
// landmark the pages render into. Pages of later areas (the operator's console) add themselves to NAV.

import {h, replace} from './dom.js';
import {session} from './session.js';
import {signOut} from './auth.js';

/** The main navigation; `visible(me)` hides an entry from people it is not for. */
export const NAV = [
  {href: '/chat', label: 'Chat', matches: p => p === '/chat' || p.startsWith('/chat/')},
  {href: '/usage', label: 'Usage'},
  {href: '/billing', label: 'Billing', matches: p => p.startsWith('/billing')},
  {href: '/keys', label: 'API keys'},
  {href: '/settings', label: 'Settings'},
  {href: '/admin', label: 'Admin', matches: p => p.startsWith('/admin'), visible: () => session.can('analyst')},
];

let shell = null;

/** The <main> element of the signed-in frame, building the frame on first use and marking the current page. */
export function frame(app) {
  if (!shell || !app.contains(shell.root)) shell = build(app);
  const path = location.pathname;
  for (const link of shell.links) {
    const item = NAV.find(n => n.href === link.getAttribute('href'));
    const current = item.matches ? item.matches(path) : path === item.href;
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  shell.nav.classList.remove('open');
  shell.menu.setAttribute('aria-expanded', 'false');
  refreshAccount();
  return shell.main;
}

/** Re-reads the account (name, tier) into the top bar, e.g. after an upgrade. */
export function refreshAccount() {
  if (!shell || !session.me) return;
  replace(shell.account,
    h('span', {class: 'who', title: session.me.email}, session.me.name || session.me.email),
    session.me.tier ? h('span', {class: `tier-badge tier-${session.me.tier}`, 'data-testid': 'tier-badge'}, `${session.me.tier} plan`) : null,
    h('button', {type: 'button', class: 'quiet', onclick: () => signOut(null)}, 'Sign out'));
}

export function dropFrame() {
  shell = null;
}

function build(app) {
  const navId = 'main-nav';
  const links = NAV.filter(item => !item.visible || item.visible(session.me))
    .map(item => h('a', {href: item.href}, item.label));
  const nav = h('nav', {id: navId, 'aria-label': 'Main'}, h('ul', {}, links.map(link => h('li', {}, link))));
  const menu = h('button', {type: 'button', class: 'menu-toggle quiet', 'aria-expanded': 'false', 'aria-controls': navId,
    onclick: () => {
      const open = nav.classList.toggle('open');
      menu.setAttribute('aria-expanded', String(open));
    }}, 'Menu');
  const account = h('div', {class: 'account'});
  const main = h('main', {id: 'main', tabindex: '-1'});
  const root = h('div', {class: 'shell'},
    h('header', {class: 'topbar'}, menu, h('a', {class: 'brand', href: '/chat'}, 'Chat platform'), nav, account),
    main);
  replace(app, root);
  return {root, nav, menu, links, account, main};
}
