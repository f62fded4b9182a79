// Usage: each limit of the plan as a bar (used, held, remaining, period end; amber from 80 %, red from 90 %), usage
// by model and by provider, a daily trend chart and a CSV export, for a chosen period.

import {h, replace, field} from '../dom.js';
import {api} from '../api.js';
import {count, usd, date, dateTime, percent} from '../format.js';
import {errorNotice} from '../errors.js';
import {drawBars, drawDailyTrend, resizedWithWindow} from '../charts.js';

const LIMIT_NAMES = {
  messages_per_day: {label: 'Messages today', format: count},
  tokens_per_month: {label: 'Tokens this month', format: count},
  cost_micro_usd_per_month: {label: 'Spending this month', format: usd},
};

export async function render(container) {
  const today = new Date();
  const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
  const from = h('input', {type: 'date', name: 'from', value: iso(first)});
  const to = h('input', {type: 'date', name: 'to', value: iso(today)});
  const body = h('div', {class: 'usage-body'}, h('p', {class: 'hint', role: 'status'}, 'Loading your usage…'));
  const exportButton = h('button', {type: 'button', onclick: () => exportCsv(from.value, to.value, exportButton)}, 'Export CSV');
  const page = h('div', {class: 'page'},
    h('h1', {}, 'Usage'),
    h('form', {class: 'toolbar', onsubmit: e => {
      e.preventDefault();
      load();
    }}, field('From', from), field('To (included)', to), h('button', {type: 'submit'}, 'Show'), exportButton),
    body);
  container.append(page);
  const charts = [];

  async function load() {
    try {
      const range = new URLSearchParams({from: from.value, to: to.value});
      const [usage, daily] = await Promise.all([api.get(`/api/v1/usage/me?${range}`), api.get(`/api/v1/usage/me/daily?${range}`)]);
      charts.splice(0).forEach(c => c.dispose());
      replace(body, limits(usage.quota), totals(usage), breakdowns(usage, charts), trend(daily, charts));
    } catch (e) {
      replace(body, errorNotice(e));
    }
  }
  await load();
  return resizedWithWindow(charts);
}

function limits(quota) {
  if (!quota) return null;
  const rows = quota.limits.map(limit => {
    const kind = LIMIT_NAMES[limit.name] ?? {label: limit.name, format: count};
    const used = percent(limit.used, limit.max);
    const held = Math.min(100 - used, percent(limit.held, limit.max));
    const total = percent(limit.used + limit.held, limit.max);
    const level = total >= 90 ? 'red' : total >= 80 ? 'amber' : 'ok';
    return h('div', {class: 'limit', dataset: {limit: limit.name, level}},
      h('div', {class: 'limit-head'}, h('strong', {}, kind.label),
        h('span', {}, `${kind.format(limit.used)} used`, limit.held ? `, ${kind.format(limit.held)} held` : '',
          ` of ${kind.format(limit.max)} · ${kind.format(limit.remaining)} left`)),
      h('div', {class: 'bar', role: 'meter', 'aria-label': kind.label, 'aria-valuemin': '0', 'aria-valuemax': '100',
        'aria-valuenow': String(total), 'aria-valuetext': `${total} % used`, dataset: {level}},
      h('div', {class: 'bar-fill', style: `width:${used}%`}), h('div', {class: 'held', style: `width:${held}%`})),
      h('p', {class: 'hint'}, `${total} % · resets ${dateTime(limit.periodEnd)}`));
  });
  const status = {ok: ['ok', 'Within your limits'], warning: ['warn', 'Close to a limit'], exhausted: ['bad', 'A limit is used up']}[quota.status]
    ?? ['', quota.status];
  return h('section', {class: 'card', 'aria-labelledby': 'limits-title'},
    h('h2', {id: 'limits-title'}, `Your ${quota.tier} plan's limits `, h('span', {class: `badge ${status[0]}`}, status[1])),
    rows,
    h('p', {class: 'hint'}, `Also ${count(quota.requestsPerMinute)} requests and ${count(quota.tokensPerMinute)} tokens per minute. `,
      h('a', {href: '/billing'}, 'Change plan')));
}

function totals(usage) {
  return h('section', {class: 'card', 'aria-labelledby': 'totals-title'},
    h('h2', {id: 'totals-title'}, `${date(usage.from)} – ${date(usage.to)}`),
    h('div', {class: 'grid'},
      stat('Requests', count(usage.requests)), stat('Input tokens', count(usage.inputTokens)),
      stat('Output tokens', count(usage.outputTokens)), stat('Total tokens', count(usage.totalTokens), 'total-tokens'),
      stat('Cost', usd(usage.costMicroUsd))));
}

function stat(label, value, testid) {
  return h('div', {class: 'stat'}, h('p', {class: 'hint'}, label), h('p', {class: 'stat-value', 'data-testid': testid}, value));
}

function breakdowns(usage, charts) {
  return h('div', {class: 'grid'},
    breakdown('By model', 'model', usage.byModel, charts),
    breakdown('By provider', 'provider', usage.byProvider ?? [], charts));
}

function breakdown(title, key, lines, charts) {
  const chart = h('div', {class: 'chart', role: 'img', 'aria-label': `${title}: tokens and cost, chart`});
  const table = h('table', {},
    h('caption', {class: 'sr-only'}, `${title}: requests, tokens and cost`),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, key === 'model' ? 'Model' : 'Provider'),
      h('th', {scope: 'col', class: 'num'}, 'Requests'), h('th', {scope: 'col', class: 'num'}, 'Tokens'), h('th', {scope: 'col', class: 'num'}, 'Cost'))),
    h('tbody', {}, lines.length === 0 ? h('tr', {}, h('td', {colspan: '4', class: 'hint'}, 'No usage in this period.'))
      : lines.map(l => h('tr', {dataset: {[key]: l[key]}}, h('th', {scope: 'row'}, l[key]), h('td', {class: 'num'}, count(l.requests)),
        h('td', {class: 'num'}, count(l.totalTokens)), h('td', {class: 'num'}, usd(l.costMicroUsd))))));
  const section = h('section', {class: 'card', 'aria-label': title}, h('h2', {}, title), chart, h('div', {class: 'table-wrap'}, table));
  if (lines.length) requestAnimationFrame(() => drawBars(chart, lines.map(l => l[key]), lines.map(l => l.totalTokens)).then(c => charts.push(c)));
  return section;
}

function trend(daily, charts) {
  const chart = h('div', {class: 'chart', role: 'img', 'aria-label': 'Tokens and cost per day, chart (the table below has the numbers)'});
  const section = h('section', {class: 'card', 'aria-labelledby': 'trend-title'}, h('h2', {id: 'trend-title'}, 'Daily trend'), chart,
    h('details', {}, h('summary', {}, 'Table of days'), h('div', {class: 'table-wrap'}, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Day'), h('th', {scope: 'col', class: 'num'}, 'Requests'),
        h('th', {scope: 'col', class: 'num'}, 'Tokens'), h('th', {scope: 'col', class: 'num'}, 'Cost'))),
      h('tbody', {}, daily.days.map(d => h('tr', {}, h('th', {scope: 'row'}, d.date), h('td', {class: 'num'}, count(d.requests)),
        h('td', {class: 'num'}, count(d.totalTokens)), h('td', {class: 'num'}, usd(d.costMicroUsd)))))))));
  if (daily.days.length) {
    requestAnimationFrame(() => drawDailyTrend(chart, daily.days).then(c => charts.push(c)));
  } else {
    chart.replaceWith(h('p', {class: 'hint'}, 'No usage in this period.'));
  }
  return section;
}

async function exportCsv(from, to, button) {
  button.disabled = true;
  try {
    const response = await api.raw('GET', `/api/v1/usage/me/export.csv?${new URLSearchParams({from, to})}`, {accept: 'text/csv'});
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', {href: url, download: `usage-${from}-to-${to}.csv`});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    button.after(errorNotice(e));
  } finally {
    button.disabled = false;
  }
}

function iso(d) {
  return d.toISOString().slice(0, 10);
}
