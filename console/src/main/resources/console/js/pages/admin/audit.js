// Audit log: every admin action on the platform (analytics-service's GET /api/v1/admin/audit, fed by each service's
// own audit log through audit.v1), searched by text, service, who, action, target and days, newest first; each
// entry shows who, when, which service, what, the fields that changed (before → after) and why.

import {h, replace, field} from '../../dom.js';
import {api} from '../../api.js';
import {dateTime} from '../../format.js';
import {errorNotice} from '../../errors.js';
import {adminPage} from './common.js';

const SERVICES = ['analytics-service', 'billing-service', 'provider-service', 'rollout-service', 'usage-service'];
const FILTERS = ['q', 'service', 'actor', 'action', 'targetType', 'targetId', 'from', 'to'];

export async function render(container, {query}) {
  const body = adminPage(container, 'Audit log');
  if (!body) return;
  const text = (name, placeholder, extra = {}) =>
    h('input', {type: 'text', name, value: query.get(name) ?? '', placeholder, autocomplete: 'off', ...extra});
  const controls = {
    q: text('q', 'tier, ticket 4711, an e-mail…', {type: 'search', maxlength: '200'}),
    service: h('select', {name: 'service'}, ['', ...SERVICES].map(s =>
      h('option', {value: s, selected: s === (query.get('service') ?? '')}, s || 'any service'))),
    actor: text('actor', 'account or key id'),
    action: text('action', 'account.tier-changed'),
    targetType: text('targetType', 'account, model, tier, flag'),
    targetId: text('targetId', 'an id'),
    from: h('input', {type: 'date', name: 'from', value: query.get('from') ?? ''}),
    to: h('input', {type: 'date', name: 'to', value: query.get('to') ?? ''}),
  };
  const results = h('div', {class: 'table-wrap', 'aria-live': 'polite'});
  const more = h('button', {type: 'button', hidden: true, onclick: () => load(true)}, 'Older entries');
  let last = null;

  body.append(h('form', {class: 'toolbar card', role: 'search', onsubmit: event => {
    event.preventDefault();
    const params = filters();
    history.replaceState(null, '', `/admin/audit${params.size ? `?${params}` : ''}`);
    load(false);
  }},
  field('Text', controls.q), field('Service', controls.service), field('Who', controls.actor),
  field('Action', controls.action), field('Target type', controls.targetType), field('Target id', controls.targetId),
  field('From (UTC day)', controls.from), field('To (UTC day, included)', controls.to),
  h('button', {type: 'submit', class: 'primary'}, 'Search')),
  h('section', {class: 'card', 'aria-label': 'Audit entries'}, results, more));

  function filters() {
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = controls[name].value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  async function load(append) {
    const params = filters();
    params.set('limit', '50');
    if (append && last) params.set('after', last);
    try {
      const page = await api.get(`/api/v1/admin/audit?${params}`);
      last = page.data.at(-1)?.entryId ?? last;
      more.hidden = !page.hasMore;
      const rows = page.data.map(row);
      if (append) {
        results.querySelector('tbody').append(...rows);
        return;
      }
      replace(results, page.data.length === 0 ? h('p', {class: 'hint', 'data-testid': 'no-audit'}, 'No admin action matches.')
        : h('table', {}, h('caption', {class: 'sr-only'}, 'Admin actions, newest first'),
          h('thead', {}, h('tr', {}, ['When', 'Who', 'Service', 'Action', 'Target', 'Before → after', 'Why']
            .map(t => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, rows)));
    } catch (e) {
      replace(results, errorNotice(e));
    }
  }

  await load(false);
}

function row(e) {
  return h('tr', {dataset: {entry: e.entryId, action: e.action, target: `${e.targetType}:${e.targetId}`}},
    h('th', {scope: 'row'}, h('time', {datetime: e.at}, dateTime(e.at))),
    h('td', {}, e.actor, e.actorKeyId ? h('p', {class: 'hint'}, `key ${e.actorKeyId}`) : null),
    h('td', {}, e.service),
    h('td', {}, h('code', {}, e.action)),
    h('td', {}, e.targetType, ' ', h('code', {}, e.targetId)),
    h('td', {'data-testid': 'audit-change'}, changes(e.before, e.after)),
    h('td', {'data-testid': 'audit-reason'}, e.reason ?? '–'));
}

/** The fields that differ, "field: before → after"; every field of a created (or removed) target. */
function changes(before, after) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const lines = keys
    .filter(k => !before || !after || JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map(k => h('li', {}, h('span', {class: 'field-name'}, k), ': ',
      before ? show(before[k]) : '', before && after ? ' → ' : '', after ? show(after[k]) : ''));
  return lines.length ? h('ul', {class: 'changes'}, lines) : 'no field changed';
}

function show(value) {
  if (value === undefined || value === null) return '–';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
