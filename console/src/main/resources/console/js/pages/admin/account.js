// One account as an operator sees it: tier, status, subscription, usage this period against its limits, keys and
// recent invoices; admins change its tier, suspend, reactivate or delete it (a confirmation names the account),
// with an optional reason that billing-service keeps in the audit log with the change.

import {h, replace, field, statusLine} from '../../dom.js';
import {api} from '../../api.js';
import {count, usd, money, dateTime, relative, percent} from '../../format.js';
import {errorNotice} from '../../errors.js';
import {navigate} from '../../router.js';
import {adminPage, canEdit, facts} from './common.js';
import {statusBadge} from './accounts.js';

const LIMITS = {
  messages_per_day: ['Messages today', count],
  tokens_per_month: ['Tokens this month', count],
  cost_micro_usd_per_month: ['Spending this month', usd],
};

export async function render(container, {params}) {
  const body = adminPage(container, 'Account');
  if (!body) return;
  const id = params.id;
  const path = `/api/v1/admin/accounts/${encodeURIComponent(id)}`;
  const status = statusLine();
  const sections = h('div', {});
  body.append(status, sections);

  async function load() {
    let account;
    try {
      account = await api.get(path);
    } catch (e) {
      replace(sections, errorNotice(e));
      return;
    }
    container.querySelector('h1').textContent = `Account ${account.name || account.email}`;
    document.title = `Account ${account.email} · Chat platform`;
    const [subscription, usage, keys, invoices, tiers] = await Promise.all([
      api.get(`${path}/subscription`).catch(e => e),
      api.get(`/api/v1/usage/accounts/${encodeURIComponent(id)}`).catch(e => e),
      api.get(`${path}/api-keys`).catch(e => e),
      api.get(`${path}/invoices`).catch(e => e),
      canEdit() ? api.get('/api/v1/usage/admin/tiers').then(t => t.data.map(x => x.name)).catch(() => []) : [],
    ]);
    replace(sections,
      h('section', {class: 'card', 'aria-labelledby': 'account-title'}, h('h2', {id: 'account-title'}, 'Account'),
        facts([['E-mail', account.email], ['Name', account.name], ['Id', h('code', {}, account.id)],
          ['Tier', account.tier, 'account-tier'], ['Status', statusBadge(account.status)],
          ['Created', dateTime(account.createdAt)]]),
        canEdit() && account.status !== 'deleted' ? actions(account, tiers) : null),
      subscriptionCard(subscription), usageCard(usage), keysCard(keys), invoicesCard(invoices));
  }

  function actions(account, tiers) {
    const name = `${account.email}${account.name ? ` (${account.name})` : ''}`;
    const tier = h('select', {name: 'tier'}, (tiers.length ? tiers : [account.tier]).map(t =>
      h('option', {value: t, selected: t === account.tier}, t)));
    const reason = h('input', {type: 'text', name: 'reason', maxlength: '1000', autocomplete: 'off',
      placeholder: 'e.g. support ticket 4711'});
    const why = () => reason.value.trim() || undefined;
    const change = async (call, done) => {
      try {
        await call();
        reason.value = '';
        status.textContent = done;
        await load();
      } catch (e) {
        status.textContent = '';
        sections.prepend(errorNotice(e));
      }
    };
    return h('div', {class: 'admin-actions'},
      field('Reason for the next change (optional, kept in the audit log)', reason),
      h('form', {class: 'toolbar', onsubmit: event => {
        event.preventDefault();
        if (tier.value === account.tier) return;
        change(() => api.put(`${path}/tier`, {tier: tier.value, reason: why()}), `${account.email} moved to the ${tier.value} tier.`);
      }}, field('Tier', tier), h('button', {type: 'submit', class: 'primary'}, 'Change tier')),
      h('div', {class: 'toolbar'},
        account.status === 'active'
          ? h('button', {type: 'button', onclick: () => confirm(`Suspend the account ${name}? Its keys and sign-ins are refused until it is reactivated.`)
              && change(() => api.patch(path, {status: 'suspended', reason: why()}), `${account.email} suspended.`)}, 'Suspend')
          : h('button', {type: 'button', onclick: () => change(() => api.patch(path, {status: 'active', reason: why()}), `${account.email} reactivated.`)}, 'Reactivate'),
        h('button', {type: 'button', class: 'danger', onclick: async () => {
          if (!confirm(`Delete the account ${name}? Its data is erased and its keys are revoked. This cannot be undone.`)) return;
          try {
            await api.delete(why() ? `${path}?${new URLSearchParams({reason: why()})}` : path);
            navigate(`/admin/accounts?q=${encodeURIComponent(account.email)}`);
          } catch (e) {
            sections.prepend(errorNotice(e));
          }
        }}, 'Delete account')));
  }

  await load();
}

function failed(result) {
  return result instanceof Error ? errorNotice(result) : null;
}

function subscriptionCard(s) {
  return h('section', {class: 'card', 'aria-labelledby': 'sub-title'}, h('h2', {id: 'sub-title'}, 'Subscription'),
    failed(s) ?? facts([['Tier', s.tier], ['Status', s.status], ['Managed by', s.source],
      s.pendingTier ? ['Changes to', `${s.pendingTier} on ${dateTime(s.pendingAt)}`] : null,
      ['Period ends', dateTime(s.currentPeriodEnd)], s.graceEndsAt ? ['Grace ends', dateTime(s.graceEndsAt)] : null,
      ['Price', s.monthlyAmount === null ? 'none (local tier)' : `${money(s.monthlyAmount, s.currency)} a month`]]));
}

function usageCard(u) {
  const section = h('section', {class: 'card', 'aria-labelledby': 'usage-title'}, h('h2', {id: 'usage-title'}, 'Usage this period'));
  if (failed(u)) {
    section.append(failed(u));
    return section;
  }
  section.append(facts([['Requests', count(u.requests)], ['Tokens', count(u.totalTokens), 'usage-tokens'], ['Cost', usd(u.costMicroUsd)],
    u.quota ? ['Limits of tier', u.quota.tier, 'quota-tier'] : null]));
  for (const limit of u.quota?.limits ?? []) {
    const [label, format] = LIMITS[limit.name] ?? [limit.name, count];
    const used = percent(limit.used + limit.held, limit.max);
    section.append(h('div', {class: 'limit', dataset: {limit: limit.name}},
      h('div', {class: 'limit-head'}, h('strong', {}, label),
        h('span', {}, `${format(limit.used)} used of ${format(limit.max)} · resets ${dateTime(limit.periodEnd)}`)),
      h('div', {class: 'bar', role: 'meter', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100',
        'aria-valuenow': String(used), 'aria-valuetext': `${used} % used`, dataset: {level: used >= 90 ? 'red' : used >= 80 ? 'amber' : 'ok'}},
      h('div', {class: 'bar-fill', style: `width:${used}%`}))));
  }
  return section;
}

function keysCard(k) {
  return h('section', {class: 'card', 'aria-labelledby': 'keys-title'}, h('h2', {id: 'keys-title'}, 'API keys'),
    failed(k) ?? (k.data.length === 0 ? h('p', {class: 'hint'}, 'No keys.') : h('div', {class: 'table-wrap'}, h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'Key', 'Scopes', 'Created', 'Last used', 'Status'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, k.data.map(key => h('tr', {dataset: {status: key.status}},
        h('th', {scope: 'row'}, key.name || '(unnamed)'), h('td', {}, h('code', {}, `${key.prefix}…`)),
        h('td', {}, key.scopes.join(', ')), h('td', {}, dateTime(key.createdAt)),
        h('td', {}, key.lastUsedAt ? relative(key.lastUsedAt) : 'never'), h('td', {}, key.status))))))));
}

function invoicesCard(i) {
  return h('section', {class: 'card', 'aria-labelledby': 'invoices-title'}, h('h2', {id: 'invoices-title'}, 'Recent invoices'),
    failed(i) ?? (i.data.length === 0 ? h('p', {class: 'hint'}, 'No invoices.') : h('div', {class: 'table-wrap'}, h('table', {},
      h('thead', {}, h('tr', {}, ['Invoice', 'Status', 'Due', 'Paid', 'Period', 'Created'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, i.data.slice(0, 10).map(inv => h('tr', {},
        h('th', {scope: 'row'}, inv.id), h('td', {}, inv.status), h('td', {}, money(inv.amountDue, inv.currency)),
        h('td', {}, money(inv.amountPaid, inv.currency)), h('td', {}, `${dateTime(inv.periodStart)} – ${dateTime(inv.periodEnd)}`),
        h('td', {}, dateTime(inv.createdAt)))))))));
}
