// What every page of the operator's console shares: the scope check, the section navigation, and whether the
// credential may change anything (admin) or only read (analyst). The services enforce the same scopes on every
// call; the console only avoids offering what would be refused.

import {h} from '../../dom.js';
import {session} from '../../session.js';

const SECTIONS = [
  {href: '/admin/accounts', label: 'Accounts', matches: p => p === '/admin' || p.startsWith('/admin/accounts')},
  {href: '/admin/models', label: 'Models and prices', matches: p => p.startsWith('/admin/models')},
  {href: '/admin/rollouts', label: 'Rollouts', matches: p => p.startsWith('/admin/rollouts')},
  // analytics-service's dashboard, a page of its own through the gateway (same origin: it reads this tab's sign-in)
  {href: '/api/v1/analytics/dashboard/', label: 'Analytics', matches: () => false},
  {href: '/admin/tiers', label: 'Tiers', matches: p => p.startsWith('/admin/tiers')},
  {href: '/admin/billing', label: 'Billing operations', matches: p => p.startsWith('/admin/billing')},
  {href: '/admin/audit', label: 'Audit log', matches: p => p.startsWith('/admin/audit')},
];

/** Whether the signed-in credential may change things here (the admin scope); analysts only read. */
export function canEdit() {
  return session.can('admin');
}

/**
 * The page's frame: its heading, the admin sections and, for analysts, a read-only note. Returns the element to
 * render into, or null after saying that the credential cannot open the operator's console at all.
 */
export function adminPage(container, title) {
  if (!session.can('analyst')) {
    container.append(h('div', {class: 'page narrow'}, h('h1', {}, 'Admin'),
      h('p', {role: 'alert', 'data-testid': 'admin-refused'},
        'This part of the console is for operators: it needs a key with the admin or analyst scope. ',
        `Yours has ${session.scopes.join(', ') || 'no scope'}.`),
      h('p', {}, h('a', {href: '/chat'}, 'Back to chat'))));
    return null;
  }
  const path = location.pathname;
  const body = h('div', {class: 'admin-body'});
  container.append(h('div', {class: 'page admin'},
    h('nav', {class: 'admin-nav', 'aria-label': 'Admin sections'}, h('ul', {}, SECTIONS.map(s =>
      h('li', {}, h('a', {href: s.href, 'aria-current': s.matches(path) ? 'page' : null}, s.label))))),
    h('h1', {}, title),
    canEdit() ? null : h('p', {class: 'notice', 'data-testid': 'read-only'},
      'Read-only: your key has the analyst scope, so nothing here can be changed with it.'),
    body));
  return body;
}

/** A definition list of label/value pairs. */
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs.filter(Boolean).map(([label, value, testid]) =>
    [h('dt', {}, label), h('dd', {'data-testid': testid}, value ?? '–')]));
}

/**
 * Asks for the reason of a change that lands in the audit log; null when the person cancels or gives none
 * (then nothing is sent).
 */
export function askReason(what) {
  const reason = prompt(`${what}\nWhy? (recorded in the audit log)`);
  return reason && reason.trim() ? reason.trim() : null;
}

/** "$0.50" or "0.5" dollars to integer micro-USD, with string arithmetic (never a float); null when not an amount. */
export function dollarsToMicro(text) {
  const m = /^\$?\s*(\d{1,9})(?:\.(\d{1,6}))?$/.exec(String(text).trim());
  if (!m) return null;
  return Number(BigInt(m[1]) * 1000000n + BigInt((m[2] ?? '').padEnd(6, '0')));
}
