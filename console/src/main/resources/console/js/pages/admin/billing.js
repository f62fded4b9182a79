// Billing operations: the metering reconciliation for a period (what the platform metered against what was
// reported to Stripe, per account) and, for admins, every parked or retrying job of billing-service (mail, Stripe
// customers, webhooks, meter batches) with its reason and a retry button (the service kit's /api/v1/admin/jobs).

import {h, replace, field, statusLine} from '../../dom.js';
import {api} from '../../api.js';
import {count, dateTime} from '../../format.js';
import {errorNotice} from '../../errors.js';
import {adminPage, canEdit} from './common.js';

export async function render(container) {
  const body = adminPage(container, 'Billing operations');
  if (!body) return;
  const today = new Date();
  const from = h('input', {type: 'date', name: 'from', value: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)).toISOString().slice(0, 10)});
  const to = h('input', {type: 'date', name: 'to', value: today.toISOString().slice(0, 10)});
  const reconciliation = h('div', {});
  const jobs = h('div', {});
  const status = statusLine();
  body.append(status,
    h('section', {class: 'card', 'aria-labelledby': 'jobs-title'}, h('h2', {id: 'jobs-title'}, 'Parked and retrying jobs'), jobs),
    h('section', {class: 'card', 'aria-labelledby': 'rec-title'}, h('h2', {id: 'rec-title'}, 'Metering reconciliation'),
      h('form', {class: 'toolbar', onsubmit: e => {
        e.preventDefault();
        loadReconciliation();
      }}, field('From', from), field('To (included)', to), h('button', {type: 'submit'}, 'Show')), reconciliation));

  async function loadJobs() {
    if (!canEdit()) {
      replace(jobs, h('p', {class: 'hint'}, 'Jobs need the admin scope.'));
      return;
    }
    try {
      const list = await api.get('/api/v1/admin/jobs?limit=100');
      const counts = Object.entries(list.counts ?? {});
      replace(jobs, h('p', {class: 'hint', 'data-testid': 'job-counts'}, counts.length
        ? counts.map(([kind, c]) => `${kind}: ${c.parked} parked, ${c.retrying} retrying`).join(' · ') : 'No job kinds.'),
      list.data.length === 0 ? h('p', {'data-testid': 'no-jobs'}, 'Nothing is parked or retrying.') : h('div', {class: 'table-wrap'}, h('table', {},
        h('thead', {}, h('tr', {}, ['Job', 'State', 'Attempts', 'Reason', 'Last failure', 'Next attempt', ''].map(t => h('th', {scope: 'col'}, t || h('span', {class: 'sr-only'}, 'Actions'))))),
        h('tbody', {}, list.data.map(j => h('tr', {dataset: {job: j.id, state: j.state}},
          h('th', {scope: 'row'}, j.kind, h('p', {class: 'hint'}, j.reference)), h('td', {}, j.state), h('td', {class: 'num'}, count(j.attempts)),
          h('td', {}, j.reason ?? j.lastError ?? '–'), h('td', {}, dateTime(j.lastFailureAt)), h('td', {}, dateTime(j.nextAttemptAt)),
          h('td', {}, h('button', {type: 'button', class: 'small', 'aria-label': `Retry ${j.id}`, onclick: async () => {
            try {
              await api.post(`/api/v1/admin/jobs/${encodeURIComponent(j.id)}/retry`);
              status.textContent = `${j.id} runs again now.`;
              await loadJobs();
            } catch (e) {
              jobs.prepend(errorNotice(e));
            }
          }}, 'Retry'))))))));
    } catch (e) {
      replace(jobs, errorNotice(e));
    }
  }

  async function loadReconciliation() {
    try {
      const r = await api.get(`/api/v1/admin/billing/reconciliation?${new URLSearchParams({from: from.value, to: to.value})}`);
      replace(reconciliation,
        h('p', {'data-testid': 'reconciliation-totals'}, `${count(r.meteredTokens)} tokens metered, ${count(r.reportedTokens)} reported to Stripe, `,
          h('strong', {}, `${count(r.unreportedTokens)} not reported`), ` (${r.from} – ${r.to}).`),
        r.accounts.length === 0 ? h('p', {class: 'hint'}, 'No usage in this period.') : h('div', {class: 'table-wrap'}, h('table', {},
          h('thead', {}, h('tr', {}, ['Account', 'Metered events', 'Reported events', 'Metered tokens', 'Reported tokens', 'Not reported'].map(t => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, r.accounts.map(a => h('tr', {dataset: {account: a.accountId}},
            h('th', {scope: 'row'}, h('a', {href: `/admin/accounts/${encodeURIComponent(a.accountId)}`}, a.accountId)),
            h('td', {class: 'num'}, count(a.meteredEvents)), h('td', {class: 'num'}, count(a.reportedEvents)),
            h('td', {class: 'num'}, count(a.meteredTokens)), h('td', {class: 'num'}, count(a.reportedTokens)),
            h('td', {class: 'num'}, a.unreportedTokens ? h('span', {class: 'badge warn'}, count(a.unreportedTokens)) : '0')))))));
    } catch (e) {
      replace(reconciliation, errorNotice(e));
    }
  }

  await Promise.all([loadJobs(), loadReconciliation()]);
}
