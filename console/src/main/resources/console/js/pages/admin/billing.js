// Billing operations: every parked or retrying job of billing-service (mail, Stripe customers, webhooks, meter
// batches) with its reason and, for admins, a retry button that then follows the job until it is done or fails again
// (the service kit's /api/v1/admin/jobs); the events a consumer of any service dead-lettered, with their reason and a
// retry button (each service's /api/v1/admin/dead-letters/<service>); the Stripe webhook events received with their
// outcome, newest first,
// filtered by type and outcome; and the metering reconciliation for a period (what the platform metered against what
// was reported to Stripe, per account).

import {h, append, replace, field, statusLine} from '../../dom.js';
import {api} from '../../api.js';
import {count, dateTime} from '../../format.js';
import {errorNotice} from '../../errors.js';
import {adminPage, askReason, canEdit} from './common.js';

export async function render(container) {
  const body = adminPage(container, 'Billing operations');
  if (!body) return;
  const today = new Date();
  const from = h('input', {type: 'date', name: 'from', value: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)).toISOString().slice(0, 10)});
  const to = h('input', {type: 'date', name: 'to', value: today.toISOString().slice(0, 10)});
  const reconciliation = h('div', {});
  const jobs = h('div', {});
  const deadLetters = h('div', {});
  const events = h('div', {});
  const eventType = h('input', {type: 'text', name: 'event-type', list: 'event-types', placeholder: 'any', autocomplete: 'off'});
  const eventOutcome = h('select', {name: 'event-outcome'}, h('option', {value: ''}, 'any'),
    OUTCOMES.map(o => h('option', {value: o}, o)));
  const status = statusLine();
  body.append(status,
    h('section', {class: 'card', 'aria-labelledby': 'jobs-title'}, h('h2', {id: 'jobs-title'}, 'Parked and retrying jobs'), jobs),
    h('section', {class: 'card', 'aria-labelledby': 'dead-title'}, h('h2', {id: 'dead-title'}, 'Dead-lettered events'), deadLetters),
    h('section', {class: 'card', 'aria-labelledby': 'events-title'}, h('h2', {id: 'events-title'}, 'Stripe webhook events'),
      h('form', {class: 'toolbar', onsubmit: e => {
        e.preventDefault();
        loadEvents();
      }}, field('Type', eventType), h('datalist', {id: 'event-types'}, HANDLED_TYPES.map(t => h('option', {value: t}))),
      field('Outcome', eventOutcome), h('button', {type: 'submit'}, 'Filter')), events),
    h('section', {class: 'card', 'aria-labelledby': 'rec-title'}, h('h2', {id: 'rec-title'}, 'Metering reconciliation'),
      h('form', {class: 'toolbar', onsubmit: e => {
        e.preventDefault();
        loadReconciliation();
      }}, field('From', from), field('To (included)', to), h('button', {type: 'submit'}, 'Show')), reconciliation));

  async function loadJobs() {
    try {
      const list = await api.get('/api/v1/admin/jobs?limit=100');
      const counts = Object.entries(list.counts ?? {});
      replace(jobs, h('p', {class: 'hint', 'data-testid': 'job-counts'}, counts.length
        ? counts.map(([kind, c]) => `${kind}: ${c.parked} parked, ${c.retrying} retrying`).join(' · ') : 'No job kinds.'),
      list.data.length === 0 ? h('p', {'data-testid': 'no-jobs'}, 'Nothing is parked or retrying.') : h('div', {class: 'table-wrap'}, h('table', {},
        h('thead', {}, h('tr', {}, ['Job', 'State', 'Attempts', 'Reason', 'Last failure', 'Next attempt', canEdit() ? '' : null]
          .filter(t => t !== null).map(t => h('th', {scope: 'col'}, t || h('span', {class: 'sr-only'}, 'Actions'))))),
        h('tbody', {}, list.data.map(j => h('tr', {dataset: {job: j.id, state: j.state}},
          h('th', {scope: 'row'}, j.kind, h('p', {class: 'hint'}, j.reference)), h('td', {}, j.state), h('td', {class: 'num'}, count(j.attempts)),
          h('td', {}, j.reason ?? j.lastError ?? '–'), h('td', {}, dateTime(j.lastFailureAt)), h('td', {}, dateTime(j.nextAttemptAt)),
          canEdit() ? h('td', {}, retryButton(j.id)) : null))))));
    } catch (e) {
      replace(jobs, errorNotice(e));
    }
  }

  /** Retries a job (admin), waits until it is done or has failed again, then shows both lists and says which. */
  function retryButton(id) {
    return h('button', {type: 'button', class: 'small', 'aria-label': `Retry ${id}`, onclick: async event => {
      event.currentTarget.disabled = true;
      let said = null;
      let failure = null;
      try {
        await api.post(`/api/v1/admin/jobs/${encodeURIComponent(id)}/retry`);
        status.textContent = `${id} runs again now…`;
        said = await outcomeOfRetry(id);
      } catch (e) {
        failure = e;
      }
      // the lists first, then the words: what the status says is already on the page
      await Promise.all([loadJobs(), loadEvents()]);
      if (failure) jobs.prepend(errorNotice(failure));
      else status.textContent = said;
    }}, 'Retry');
  }

  /** Every service's dead letters not applied yet, newest first; a service that does not answer says so. */
  async function loadDeadLetters() {
    const answers = await Promise.all(DEAD_LETTER_SERVICES.map(service =>
      api.get(`/api/v1/admin/dead-letters/${service}?state=dead&limit=50`).then(list => ({service, list}), error => ({service, error}))));
    const rows = answers.flatMap(a => a.list ? a.list.data.map(d => ({...d, service: a.service})) : [])
      .sort((a, b) => b.deadLetteredAt.localeCompare(a.deadLetteredAt));
    replace(deadLetters, answers.filter(a => a.error).map(a =>
      errorNotice(new Error(`${a.service}'s dead letters could not be read: ${a.error.message}`))),
      rows.length === 0 ? h('p', {'data-testid': 'no-dead-letters'}, 'No consumer has dead-lettered an event.') : h('div', {class: 'table-wrap'}, h('table', {},
        h('thead', {}, h('tr', {}, ['Event', 'Consumer', 'Reason', 'Dead-lettered', 'Retries', canEdit() ? '' : null]
          .filter(t => t !== null).map(t => h('th', {scope: 'col'}, t || h('span', {class: 'sr-only'}, 'Actions'))))),
        h('tbody', {}, rows.map(d => h('tr', {dataset: {deadLetter: `${d.service}/${d.id}`}},
          h('th', {scope: 'row'}, d.eventType ?? 'unreadable record', h('p', {class: 'hint'}, `${d.topic} ${d.partition}@${d.offset}`, d.eventId ? ` · ${d.eventId}` : '')),
          h('td', {}, d.consumer), h('td', {}, d.reason), h('td', {}, dateTime(d.deadLetteredAt)), h('td', {class: 'num'}, count(d.retries)),
          canEdit() ? h('td', {}, h('button', {type: 'button', class: 'small', 'aria-label': `Retry dead letter ${d.id} of ${d.consumer}`,
            onclick: event => retryDeadLetter(event.currentTarget, d)}, 'Retry')) : null))))));
  }

  /** Hands a dead letter to its consumer again (admin, with a reason for the audit log) and says what came of it. */
  async function retryDeadLetter(button, d) {
    const reason = askReason(`Apply ${d.eventType ?? 'the record'} again through ${d.consumer}.`);
    if (!reason) return;
    button.disabled = true;
    let failure = null;
    try {
      await api.post(`/api/v1/admin/dead-letters/${d.service}/${d.id}/retry`, {reason});
    } catch (e) {
      failure = e;
    }
    await loadDeadLetters();
    if (failure) deadLetters.prepend(errorNotice(failure));
    else status.textContent = `${d.consumer} applied dead letter ${d.id}; the reason is in the audit log.`;
  }

  /** A received event; a failed or retrying one has its job's Retry button for admins. */
  function eventRow(e) {
    return h('tr', {dataset: {event: e.id, outcome: e.outcome}},
      h('th', {scope: 'row'}, e.type, h('p', {class: 'hint'}, e.id)),
      h('td', {}, h('span', {class: `badge ${OUTCOME_BADGES[e.outcome] ?? ''}`.trim()}, e.outcome)),
      h('td', {}, e.reason ?? '–'), h('td', {}, dateTime(e.receivedAt)), h('td', {}, dateTime(e.createdAt)),
      h('td', {class: 'num'}, count(e.deliveries)),
      canEdit() ? h('td', {}, e.jobId && (e.outcome === 'failed' || e.outcome === 'retrying') ? retryButton(e.jobId) : null) : null);
  }

  async function loadEvents() {
    const query = {limit: '25'};
    if (eventType.value.trim()) query.type = eventType.value.trim();
    if (eventOutcome.value) query.outcome = eventOutcome.value;
    const rows = h('tbody', {});
    const more = h('p', {});
    replace(events, h('p', {class: 'hint'}, 'Loading…'));
    async function page(after) {
      const list = await api.get(`/api/v1/admin/billing/webhook-events?${new URLSearchParams(after ? {...query, after} : query)}`);
      append(rows, list.data.map(eventRow));
      replace(more, list.hasMore ? h('button', {type: 'button', onclick: async e => {
        e.currentTarget.disabled = true;
        try {
          await page(list.data.at(-1).id);
        } catch (error) {
          replace(more, errorNotice(error));
        }
      }}, 'Older events') : null);
      return list.data.length;
    }
    try {
      if (await page(null) === 0) {
        replace(events, h('p', {'data-testid': 'no-events'}, 'No Stripe event received' + (query.type || query.outcome ? ' matches.' : ' yet.')));
        return;
      }
      replace(events, h('div', {class: 'table-wrap'}, h('table', {},
        h('thead', {}, h('tr', {}, ['Event', 'Outcome', 'Reason', 'Received', 'Created by Stripe', 'Deliveries', canEdit() ? '' : null]
          .filter(t => t !== null).map(t => h('th', {scope: 'col'}, t || h('span', {class: 'sr-only'}, 'Actions'))))),
        rows)), more);
    } catch (e) {
      replace(events, errorNotice(e));
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

  await Promise.all([loadJobs(), loadDeadLetters(), loadEvents(), loadReconciliation()]);
}

/** The services whose consumers dead-letter (each keeps its own, service-kit's dead_letters). */
const DEAD_LETTER_SERVICES = ['usage-service', 'billing-service', 'analytics-service', 'rollout-service', 'provider-service'];

const OUTCOMES = ['applied', 'ignored', 'pending', 'retrying', 'failed'];
const OUTCOME_BADGES = {applied: 'ok', ignored: '', pending: '', retrying: 'warn', failed: 'bad'};
const HANDLED_TYPES = ['checkout.session.completed', 'customer.subscription.created', 'customer.subscription.updated',
  'customer.subscription.deleted', 'customer.subscription.paused', 'customer.subscription.resumed', 'invoice.paid',
  'invoice.payment_succeeded', 'invoice.payment_failed', 'customer.deleted'];

/**
 * Follows a job an admin just retried (it runs within a second or so) until it is done (the kit deletes a completed
 * job: 404) or has failed again; says which, in words for the status line.
 */
async function outcomeOfRetry(id) {
  for (let i = 0; i < 60; i++) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    let job;
    try {
      job = await api.get(`/api/v1/admin/jobs/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e.status === 404) return `${id} is done.`;
      throw e;
    }
    if (job.state !== 'scheduled') return `${id} failed again: ${job.reason ?? job.lastError ?? 'no reason given'}`;
  }
  return `${id} has not run yet; it is scheduled to.`;
}
