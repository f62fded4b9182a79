// Errors said the way a person understands them, with what they can do about it.

import {h} from './dom.js';
import {api, ApiError, NETWORK_ERROR} from './api.js';
import {dateTime} from './format.js';
import {session} from './session.js';

const QUOTA_LIMITS = {
  messages_per_day_exceeded: {limit: 'messages_per_day', text: 'You have sent all the messages your plan allows today.'},
  monthly_tokens_exceeded: {limit: 'tokens_per_month', text: 'You have used all the tokens your plan allows this month.'},
  monthly_budget_exceeded: {limit: 'cost_micro_usd_per_month', text: 'You have used all of your plan\'s spending limit for this month.'},
};

/** An alert element for `error`; quota and rate-limit refusals say which limit, when it resets, and offer the upgrade. */
export function errorNotice(error) {
  const box = h('div', {class: 'alert', role: 'alert', 'data-testid': 'error'});
  if (!(error instanceof ApiError)) {
    box.append(h('p', {}, error?.message || String(error)));
    return box;
  }
  const quota = QUOTA_LIMITS[error.code];
  if (error.status === 429 && quota) {
    const plan = session.me?.tier ? ` (${session.me.tier} plan)` : '';
    const resets = h('span', {class: 'resets'});
    box.classList.add('quota');
    box.append(h('p', {}, h('strong', {}, 'Usage limit reached. '), quota.text + plan + ' ', resets),
      h('p', {}, h('a', {class: 'button primary', href: '/billing'}, 'Upgrade your plan'), ' ',
        h('a', {href: '/usage'}, 'See your usage')));
    api.get('/api/v1/usage/me').then(usage => {
      const state = usage.quota?.limits?.find(l => l.name === quota.limit);
      if (state?.periodEnd) resets.textContent = `It resets on ${dateTime(state.periodEnd)}.`;
    }).catch(() => {});
    return box;
  }
  if (error.status === 429 && error.code === 'model_not_allowed_for_tier') {
    box.classList.add('quota');
    box.append(h('p', {}, h('strong', {}, 'Not in your plan. '), error.message),
      h('p', {}, h('a', {class: 'button primary', href: '/billing'}, 'Upgrade your plan')));
    return box;
  }
  if (error.status === 429 && error.code === 'rate_limit_exceeded') {
    const which = error.type === 'tokens' ? 'tokens per minute' : 'requests per minute';
    const wait = error.retryAfterSeconds !== null ? ` Try again in ${error.retryAfterSeconds} s.` : '';
    box.classList.add('quota');
    box.append(h('p', {}, h('strong', {}, 'Slow down. '), `You have reached your plan's ${which}.${wait}`),
      h('p', {}, h('a', {class: 'button primary', href: '/billing'}, 'Upgrade for higher limits')));
    return box;
  }
  if (error.code === NETWORK_ERROR) {
    box.append(h('p', {}, error.message));
    return box;
  }
  box.append(h('p', {}, error.message));
  return box;
}
