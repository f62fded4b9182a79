// Accounts: find one by e-mail, name or id (billing-service's GET /api/v1/admin/accounts?q=), newest pages on
// demand, and open its page.

import {h, replace, field} from '../../dom.js';
import {api} from '../../api.js';
import {dateTime} from '../../format.js';
import {errorNotice} from '../../errors.js';
import {adminPage} from './common.js';

export async function render(container, {query}) {
  const body = adminPage(container, 'Accounts');
  if (!body) return;
  const q = h('input', {type: 'search', name: 'q', value: query.get('q') ?? '', maxlength: '200',
    placeholder: 'alice@example.com, Alice or an account id'});
  const status = h('select', {name: 'status'}, ['', 'active', 'suspended', 'deleted'].map(s =>
    h('option', {value: s, selected: s === (query.get('status') ?? '')}, s || 'any status')));
  const results = h('div', {class: 'table-wrap', 'aria-live': 'polite'});
  const more = h('button', {type: 'button', hidden: true, onclick: () => load(true)}, 'More accounts');
  let last = null;

  body.append(h('form', {class: 'toolbar card', role: 'search', onsubmit: event => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (q.value.trim()) params.set('q', q.value.trim());
    if (status.value) params.set('status', status.value);
    history.replaceState(null, '', `/admin/accounts${params.size ? `?${params}` : ''}`);
    load(false);
  }}, field('E-mail, name or id', q), field('Status', status), h('button', {type: 'submit', class: 'primary'}, 'Search')),
  h('section', {class: 'card', 'aria-label': 'Accounts found'}, results, more));

  async function load(append) {
    const params = new URLSearchParams({limit: '20'});
    if (q.value.trim()) params.set('q', q.value.trim());
    if (status.value) params.set('status', status.value);
    if (append && last) params.set('after', last);
    try {
      const page = await api.get(`/api/v1/admin/accounts?${params}`);
      last = page.data.at(-1)?.id ?? last;
      more.hidden = !page.hasMore;
      const rows = page.data.map(a => h('tr', {dataset: {accountId: a.id}},
        h('th', {scope: 'row'}, h('a', {href: `/admin/accounts/${encodeURIComponent(a.id)}`}, a.email)),
        h('td', {}, a.name || '–'), h('td', {}, a.tier), h('td', {}, statusBadge(a.status)),
        h('td', {}, dateTime(a.createdAt)), h('td', {}, h('code', {}, a.id))));
      if (append) {
        results.querySelector('tbody').append(...rows);
        return;
      }
      replace(results, page.data.length === 0 ? h('p', {class: 'hint', 'data-testid': 'no-accounts'}, 'No account matches.')
        : h('table', {}, h('caption', {class: 'sr-only'}, 'Accounts'),
          h('thead', {}, h('tr', {}, ['E-mail', 'Name', 'Tier', 'Status', 'Created', 'Id'].map(t => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, rows)));
    } catch (e) {
      replace(results, errorNotice(e));
    }
  }

  await load(false);
}

export function statusBadge(status) {
  return h('span', {class: `badge ${status === 'active' ? 'ok' : 'bad'}`, 'data-testid': 'account-status'}, status);
}
