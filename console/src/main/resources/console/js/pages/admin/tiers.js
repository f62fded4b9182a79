// Tiers: every tier's limits and allowed models, edited in place (admins) with the values checked before they are
// sent, and how many accounts are on each (analytics-service's tiers report, from accounts.v1). A saved tier applies
// at once to every account on it (usage-service publishes a new quota.v1 state for each).

import {h, replace, field, statusLine} from '../../dom.js';
import {api} from '../../api.js';
import {count, usd} from '../../format.js';
import {errorNotice} from '../../errors.js';
import {adminPage, canEdit, dollarsToMicro} from './common.js';

const COUNTS = [
  ['messagesPerDay', 'Messages per day'],
  ['tokensPerMonth', 'Tokens per month'],
  ['requestsPerMinute', 'Requests per minute'],
  ['tokensPerMinute', 'Tokens per minute'],
];

export async function render(container) {
  const body = adminPage(container, 'Tiers');
  if (!body) return;
  const status = statusLine();
  const list = h('div', {});
  body.append(status, list);

  async function load() {
    try {
      const [tiers, report, models] = await Promise.all([
        api.get('/api/v1/usage/admin/tiers'),
        api.get('/api/v1/analytics/tiers').catch(() => ({rows: []})),
        api.get('/api/v1/admin/models').then(m => m.data.map(x => x.id)).catch(() => []),
      ]);
      const accounts = Object.fromEntries(report.rows.map(r => [r.tier, r]));
      replace(list, h('div', {class: 'grid'}, tiers.data.map(t => tierCard(t, accounts[t.name], models))));
    } catch (e) {
      replace(list, errorNotice(e));
    }
  }

  function tierCard(tier, accounts, models) {
    const on = accounts ? `${count(accounts.accounts)} accounts (${count(accounts.activeAccounts)} active)` : 'no account counted yet';
    const section = h('section', {class: 'card', dataset: {tier: tier.name}, 'aria-labelledby': `tier-${tier.name}`},
      h('h2', {id: `tier-${tier.name}`}, tier.name), h('p', {class: 'hint', 'data-testid': 'tier-accounts'}, on));
    if (!canEdit()) {
      section.append(h('dl', {class: 'facts'}, COUNTS.map(([k, label]) => [h('dt', {}, label), h('dd', {}, count(tier[k]))]),
        h('dt', {}, 'Spending per month'), h('dd', {}, usd(tier.costMicroUsdPerMonth)),
        h('dt', {}, 'Models'), h('dd', {}, tier.allowedModels.join(', '))));
      return section;
    }
    const inputs = Object.fromEntries(COUNTS.map(([k]) => [k, h('input', {type: 'text', inputmode: 'numeric', name: k, value: String(tier[k])})]));
    const cost = h('input', {type: 'text', inputmode: 'decimal', name: 'costUsdPerMonth', value: usd(tier.costMicroUsdPerMonth).replace(/[$,]/g, '')});
    const allowed = h('input', {type: 'text', name: 'allowedModels', value: tier.allowedModels.join(', ')});
    const problem = h('p', {class: 'form-error', role: 'alert'});
    section.append(h('form', {onsubmit: async event => {
      event.preventDefault();
      const next = {};
      for (const [k, label] of COUNTS) {
        const text = inputs[k].value.replace(/[\s,]/g, '');
        if (!/^\d{1,15}$/.test(text)) {
          problem.textContent = `${label} must be a whole number, 0 or more.`;
          inputs[k].focus();
          return;
        }
        next[k] = Number(text);
      }
      next.costMicroUsdPerMonth = dollarsToMicro(cost.value.replace(/,/g, ''));
      if (next.costMicroUsdPerMonth === null) {
        problem.textContent = 'Spending per month is in dollars, like 25 or 2.50.';
        cost.focus();
        return;
      }
      next.allowedModels = allowed.value.split(',').map(s => s.trim()).filter(Boolean);
      const unknown = next.allowedModels.filter(m => m !== '*' && models.length && !models.includes(m));
      if (next.allowedModels.length === 0 || unknown.length) {
        problem.textContent = unknown.length ? `No such model: ${unknown.join(', ')}.` : 'Name at least one model, or * for all.';
        allowed.focus();
        return;
      }
      problem.textContent = '';
      try {
        await api.put(`/api/v1/usage/admin/tiers/${encodeURIComponent(tier.name)}`, next);
        status.textContent = `Tier ${tier.name} saved: its accounts have the new limits now.`;
        await load();
      } catch (e) {
        problem.replaceChildren(errorNotice(e));
      }
    }}, COUNTS.map(([k, label]) => field(label, inputs[k])), field('Spending per month ($)', cost),
    field('Allowed models', allowed, 'Model ids, comma-separated; * for every model.'),
    h('button', {type: 'submit', class: 'primary', 'aria-label': `Save tier ${tier.name}`}, 'Save'), problem));
    return section;
  }

  await load();
}
