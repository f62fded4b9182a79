// Billing: the current plan and what the others give, upgrade through Stripe Checkout, manage through the Customer
// Portal, invoices and their status, the grace period after a failed payment. Checkout comes back to
// /billing/success or /billing/cancel, the Portal to /billing.

import {h, replace, statusLine} from '../dom.js';
import {api} from '../api.js';
import {count, usd, money, dateTime, date} from '../format.js';
import {errorNotice} from '../errors.js';
import {session} from '../session.js';
import {refreshAccount} from '../layout.js';

const ORDER = ['free', 'basic', 'pro', 'enterprise'];
const LIVE = ['active', 'trialing', 'past_due'];

export async function render(container, {params}) {
  const result = params.result ?? null;
  if (result && result !== 'success' && result !== 'cancel') {
    container.append(h('div', {class: 'page narrow'}, h('h1', {}, 'Page not found'), h('p', {}, h('a', {href: '/billing'}, 'Billing'))));
    return undefined;
  }
  const banner = h('div');
  const body = h('div', {}, h('p', {class: 'hint', role: 'status'}, 'Loading your plan…'));
  container.append(h('div', {class: 'page'}, h('h1', {}, result === 'success' ? 'Thank you' : 'Billing'), banner, body));
  let stopped = false;

  if (result === 'success') {
    const status = statusLine('notice');
    status.textContent = 'Your payment went through. Your new plan applies as soon as Stripe confirms it…';
    banner.append(status);
    waitForUpgrade(status, () => stopped).then(() => load());
  } else if (result === 'cancel') {
    banner.append(h('p', {class: 'notice', role: 'status'}, 'Checkout was canceled: nothing was charged and your plan is unchanged.'));
  }

  async function load() {
    try {
      const [subscription, plans, tiers, invoices] = await Promise.all([
        api.get('/api/v1/billing/subscription'), api.get('/api/v1/billing/plans'),
        api.get('/api/v1/usage/tiers'), api.get('/api/v1/billing/invoices')]);
      replace(body, current(subscription, plans), planCards(subscription, plans, tiers), invoiceTable(invoices.data));
    } catch (e) {
      replace(body, errorNotice(e));
    }
  }
  await load();
  return () => {
    stopped = true;
  };
}

/**
 * After Checkout: the webhook moves the account to its new tier a moment later (or did already, before this page
 * loaded); poll until a paid plan shows. Checkout is only offered without a live subscription, so the plan before
 * it was free.
 */
async function waitForUpgrade(status, stopped) {
  for (let i = 0; i < 60 && !stopped(); i++) {
    try {
      const subscription = await api.get('/api/v1/billing/subscription');
      if (LIVE.includes(subscription.status) && subscription.tier !== 'free') {
        session.me = await api.get('/api/v1/accounts/me');
        refreshAccount();
        status.textContent = `You are now on the ${subscription.tier} plan.`;
        return;
      }
    } catch {
      // try again
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  if (!stopped()) status.textContent = 'Stripe has not confirmed the payment yet. This page shows your plan as soon as it does; reload in a minute.';
}

function current(s, plans) {
  const live = LIVE.includes(s.status) && s.paidTier && s.paidTier !== 'free';
  const lines = [h('p', {}, 'You are on the ', h('strong', {'data-testid': 'current-tier'}, s.tier), ' plan',
    s.monthlyAmount !== null && s.monthlyAmount !== undefined ? ` (${money(s.monthlyAmount, s.currency)} a month)` : '', '.')];
  if (s.status === 'past_due') {
    lines.push(h('div', {class: 'alert', role: 'alert'}, h('p', {}, h('strong', {}, 'Your last payment failed. '),
      `You keep the ${s.paidTier} plan until ${dateTime(s.graceEndsAt)}; after that the account moves to the free plan. `,
      'Update your payment method in the billing portal.')));
  }
  if (live && s.currentPeriodEnd) {
    lines.push(h('p', {}, s.cancelAtPeriodEnd ? `Your subscription ends on ${date(s.currentPeriodEnd)}.`
      : `It renews on ${date(s.currentPeriodEnd)}.`));
  }
  if (s.pendingTier) lines.push(h('p', {}, `You move to the ${s.pendingTier} plan on ${date(s.pendingAt)}.`));
  const actions = h('p');
  if (plans.mode === 'stripe') {
    const portalStatus = statusLine();
    actions.append(h('button', {type: 'button', onclick: async event => {
      event.target.disabled = true;
      try {
        const portal = await api.post('/api/v1/billing/portal');
        location.assign(portal.url);
      } catch (e) {
        event.target.disabled = false;
        portalStatus.replaceChildren(errorNotice(e));
      }
    }}, 'Manage billing and payment methods'), portalStatus);
  } else {
    actions.append(h('span', {class: 'hint'}, 'Payments are not set up on this platform (no Stripe configured): an administrator assigns plans.'));
  }
  return h('section', {class: 'card', 'aria-labelledby': 'current-title'}, h('h2', {id: 'current-title'}, 'Your plan'), lines, actions);
}

function planCards(s, plans, tiers) {
  const live = LIVE.includes(s.status) && s.paidTier && s.paidTier !== 'free';
  const byTier = new Map(plans.data.map(p => [p.tier, p]));
  const cards = tiers.data.filter(t => ORDER.includes(t.name)).sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name)).map(t => {
    const plan = byTier.get(t.name) ?? {forSale: false, price: null};
    const isCurrent = t.name === s.tier;
    const status = statusLine();
    let action;
    if (isCurrent) {
      action = h('p', {class: 'badge ok'}, 'Your current plan');
    } else if (t.name === 'free') {
      action = live ? h('p', {class: 'hint'}, 'Cancel in the billing portal to return to free.') : null;
    } else if (plans.mode !== 'stripe' || !plan.forSale) {
      action = h('p', {class: 'hint'}, plans.mode === 'stripe' ? 'Not for sale here: contact us.' : 'Assigned by an administrator.');
    } else {
      const upgrade = ORDER.indexOf(t.name) > ORDER.indexOf(s.tier);
      action = h('button', {type: 'button', class: upgrade ? 'primary' : '', 'aria-label': `${upgrade ? 'Upgrade' : 'Switch'} to ${t.name}`,
        onclick: async event => {
          event.target.disabled = true;
          try {
            if (live) {
              if (!confirm(upgrade ? `Upgrade to ${t.name} now? The difference for this period is invoiced at once.`
                : `Move to ${t.name} at the end of the paid period?`)) return;
              await api.put('/api/v1/billing/subscription', {tier: t.name});
              location.reload();
            } else {
              const checkout = await api.post('/api/v1/billing/checkout', {tier: t.name});
              location.assign(checkout.url);
            }
          } catch (e) {
            status.replaceChildren(errorNotice(e));
          } finally {
            event.target.disabled = false;
          }
        }}, `${upgrade ? 'Upgrade' : 'Switch'} to ${t.name}`);
    }
    const price = t.name === 'free' ? 'Free' : plan.price ? priceText(plan.price) : '';
    return h('article', {class: `card plan${isCurrent ? ' current' : ''}`, dataset: {tier: t.name}, 'aria-labelledby': `plan-${t.name}`},
      h('h3', {id: `plan-${t.name}`}, t.name[0].toUpperCase() + t.name.slice(1)),
      price ? h('p', {class: 'price'}, price) : null,
      h('ul', {},
        h('li', {}, `${count(t.messagesPerDay)} messages a day`),
        h('li', {}, `${count(t.tokensPerMonth)} tokens a month`),
        h('li', {}, `Up to ${usd(t.costMicroUsdPerMonth)} of model usage a month`),
        h('li', {}, `${count(t.requestsPerMinute)} requests, ${count(t.tokensPerMinute)} tokens a minute`),
        h('li', {}, t.allowedModels.includes('*') ? 'Every model' : `Models: ${t.allowedModels.join(', ')}`)),
      action, status);
  });
  return h('section', {'aria-labelledby': 'plans-title'}, h('h2', {id: 'plans-title'}, 'Plans'), h('div', {class: 'plans'}, cards));
}

/** A plan's Stripe price: "$9.00 / month", "$50.00 every 3 months". */
function priceText(p) {
  const amount = money(p.unitAmount, p.currency);
  return p.intervalCount > 1 ? `${amount} every ${p.intervalCount} ${p.interval}s` : `${amount} / ${p.interval}`;
}

function invoiceTable(invoices) {
  const statusBadge = status => h('span', {class: `badge ${status === 'paid' ? 'ok' : status === 'open' ? 'warn' : status === 'uncollectible' ? 'bad' : ''}`}, status);
  return h('section', {class: 'card', 'aria-labelledby': 'invoices-title'}, h('h2', {id: 'invoices-title'}, 'Invoices'),
    invoices.length === 0 ? h('p', {class: 'hint'}, 'No invoices yet.') : h('div', {class: 'table-wrap'}, h('table', {},
      h('thead', {}, h('tr', {}, ['Date', 'Period', 'Amount due', 'Paid', 'Status', ''].map(t => h('th', {scope: 'col'}, t || h('span', {class: 'sr-only'}, 'Documents'))))),
      h('tbody', {}, invoices.map(i => h('tr', {},
        h('td', {}, date(i.createdAt)), h('td', {}, `${date(i.periodStart)} – ${date(i.periodEnd)}`),
        h('td', {class: 'num'}, money(i.amountDue, i.currency)), h('td', {class: 'num'}, money(i.amountPaid, i.currency)),
        h('td', {}, statusBadge(i.status), i.attemptCount > 1 ? ` (${i.attemptCount} attempts)` : ''),
        h('td', {}, i.hostedInvoiceUrl ? h('a', {href: i.hostedInvoiceUrl, target: '_blank', rel: 'noopener'}, 'View') : null)))))));
}
