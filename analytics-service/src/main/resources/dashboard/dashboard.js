// The analytics dashboard. The page itself holds no data and is public; every number comes from the JSON API,
// called with an API key or OIDC ID token (Authorization: Bearer, through the gateway) or, when the page is opened on
// the service directly, with a gateway-signed identity token (X-Platform-Identity).
(function () {
  'use strict';
  const API = new URL('..', location.href.replace(/[#?].*$/, '').replace(/\/?$/, '/')).pathname;
  const STORED = 'analytics-credential';
  // the console's sign-in of this tab (console/js/auth.js): {kind: 'key' | 'oidc', token, expiresAt?}
  const CONSOLE = 'console.credential';
  const status = document.getElementById('status');
  const usd = v => '$' + Number(v).toFixed(v >= 1 || v === 0 ? 2 : 6);
  const usdAxis = v => '$' + v; // the axis' round steps ($0.3, $1.2) need no six decimals
  const num = v => Number(v).toLocaleString('en-US', {maximumFractionDigits: 2});
  const pct = v => (v * 100).toFixed(1) + '%';
  const ms = v => Math.round(v) + ' ms';

  function read(name) {
    try {
      return JSON.parse(sessionStorage.getItem(name));
    } catch (e) {
      return null;
    }
  }

  /**
   * The credential to call the API with, {kind: 'key' (a bearer: API key or OIDC ID token) | 'identity', value}:
   * one given in the URL fragment (#key=... or #identity=..., never sent to a server, removed from the URL) or pasted
   * into the form, kept in this tab's session storage; else the console's own sign-in of this tab. Through the
   * gateway the console and this page share an origin, so an operator who opens the dashboard from /admin signs in
   * once.
   */
  function credentials() {
    const params = new URLSearchParams(location.hash.slice(1));
    for (const kind of ['key', 'identity']) {
      if (params.get(kind)) {
        sessionStorage.setItem(STORED, JSON.stringify({kind, value: params.get(kind)}));
        history.replaceState(null, '', location.pathname + location.search);
      }
    }
    const stored = read(STORED);
    if (stored) return stored;
    const signIn = read(CONSOLE);
    return signIn && signIn.token ? {kind: 'key', value: signIn.token, fromConsole: true, expiresAt: signIn.expiresAt}
      : null;
  }

  async function api(report, params) {
    const cred = credentials();
    const headers = {Accept: 'application/json'};
    if (cred.kind === 'key') headers.Authorization = 'Bearer ' + cred.value;
    else headers['X-Platform-Identity'] = cred.value;
    const response = await fetch(API + report + '?' + new URLSearchParams(params), {headers});
    if (!response.ok) {
      let message = response.status + '';
      try { message = (await response.json()).error.message; } catch (e) { /* keep the status */ }
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  function days(from, to) {
    const out = [];
    for (let d = new Date(from + 'T00:00:00Z'); d <= new Date(to + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
      out.push(d.toISOString().slice(0, 10));
    }
    return out;
  }

  /** Sums a column per period over the given day labels (0 for days without rows). */
  function perDay(rows, labels, value) {
    const sums = new Map();
    rows.forEach(r => sums.set(r.period, (sums.get(r.period) || 0) + value(r)));
    return labels.map(l => sums.get(l) || 0);
  }

  function chart(id) {
    return document.querySelector('#' + id + ' .chart');
  }

  /** One series per key: the values per label, 0 where a label has no row of that key. */
  function seriesBy(rows, labels, key, value) {
    const keys = [...new Set(rows.map(key))].sort();
    return keys.map(k => ({name: k, values: perDay(rows.filter(r => key(r) === k), labels, value)}));
  }

  async function render(from, to) {
    const range = {from, to};
    const whole = {...range, granularity: 'range'};
    const labels = days(from, to);
    const [usage, byModel, latency, errors, errorsByModel, active, revenue, tiers, variants, decisions, mrr, churn,
      conversations] = await Promise.all([
      api('usage', range),
      api('usage', {...range, granularity: 'month', groupBy: 'provider,model'}),
      api('latency', range),
      api('errors', range),
      api('errors', {...whole, groupBy: 'provider,model'}),
      api('active-accounts', range),
      api('revenue', {...range, granularity: 'month'}),
      api('tiers', {}),
      api('variants', whole),
      api('rollout-decisions', range),
      api('mrr', range),
      api('churn', {...range, granularity: 'month'}),
      api('conversations', range)]);
    const anyUsage = usage.rows.length > 0;
    Charts.line(chart('panel-requests'), {title: 'Requests per day', labels: anyUsage ? labels : [],
      series: [{name: 'requests', values: perDay(usage.rows, labels, r => r.requests)}], format: num});
    Charts.line(chart('panel-cost'), {title: 'Cost per day', labels: anyUsage ? labels : [],
      series: [{name: 'cost', values: perDay(usage.rows, labels, r => r.costMicroUsd / 1e6)}], format: usd,
      axisFormat: usdAxis});
    Charts.line(chart('panel-tokens'), {title: 'Tokens per day', labels: anyUsage ? labels : [], format: num,
      series: [{name: 'input', values: perDay(usage.rows, labels, r => r.inputTokens)},
        {name: 'cached input', values: perDay(usage.rows, labels, r => r.cachedInputTokens)},
        {name: 'output', values: perDay(usage.rows, labels, r => r.outputTokens)}]});

    const costByModel = new Map();
    byModel.rows.forEach(r => {
      const k = r.provider + ' / ' + r.model;
      costByModel.set(k, (costByModel.get(k) || 0) + r.costMicroUsd);
    });
    const models = [...costByModel.keys()].sort();
    Charts.bar(chart('panel-cost-by-model'), {title: 'Cost by provider and model', category: 'Provider / model',
      labels: models, values: models.map(m => costByModel.get(m) / 1e6), format: usd, axisFormat: usdAxis});

    const lat = new Map(latency.rows.map(r => [r.period, r]));
    const latLabels = labels.filter(l => lat.has(l));
    const pick = (field) => latLabels.map(l => lat.get(l)[field]);
    Charts.line(chart('panel-latency'), {title: 'Latency percentiles', labels: latLabels, format: ms, series: [
      {name: 'p50', values: pick('latencyP50Ms')}, {name: 'p95', values: pick('latencyP95Ms')},
      {name: 'p99', values: pick('latencyP99Ms')}]});
    Charts.line(chart('panel-ttft'), {title: 'Time to first token percentiles', labels: latLabels, format: ms, series: [
      {name: 'p50', values: pick('ttftP50Ms')}, {name: 'p95', values: pick('ttftP95Ms')},
      {name: 'p99', values: pick('ttftP99Ms')}]});

    // error rate by class: the days with failed calls (each row's rate is against all upstream calls of its day)
    const errorDays = labels.filter(l => errors.rows.some(r => r.period === l));
    const classes = [...new Set(errors.rows.map(r => r.errorClass))].sort();
    Charts.line(chart('panel-errors'), {title: 'Upstream error rate by class', labels: errorDays, format: pct,
      series: classes.map(c => ({name: c, values: errorDays.map(l => {
        const row = errors.rows.find(r => r.period === l && r.errorClass === c);
        return row ? row.rate : 0;
      })}))});
    if (errorDays.length === 0) Charts.noData(chart('panel-errors'), 'No failed upstream calls in this range');
    Charts.bar(chart('panel-errors-by-model'), {title: 'Upstream error rate by provider, model and class',
      category: 'Provider / model: error class',
      labels: errorsByModel.rows.map(r => r.provider + ' / ' + r.model + ': ' + r.errorClass),
      values: errorsByModel.rows.map(r => r.rate), format: pct});

    Charts.line(chart('panel-active'), {title: 'Daily active accounts', labels: active.rows.length ? labels : [],
      series: [{name: 'accounts', values: perDay(active.rows, labels, r => r.activeAccounts)}], format: num});
    const months = [...new Set(revenue.rows.map(r => r.period))];
    const charges = months.map(m => revenue.rows.filter(r => r.period === m)
      .reduce((sum, r) => sum + r.usageChargesMicroUsd, 0) / 1e6);
    Charts.bar(chart('panel-revenue'), {title: 'Metered usage charges per month', category: 'Month',
      labels: charges.some(v => v > 0) ? months : [], values: charges, format: usd, axisFormat: usdAxis});
    const invoiced = revenue.rows.filter(r => r.invoicedMinor > 0);
    Charts.bar(chart('panel-invoiced'), {title: 'Invoiced revenue per month', category: 'Month and currency',
      labels: invoiced.map(r => r.period + ' ' + r.currency), values: invoiced.map(r => Number(r.invoiced)), format: num});

    const priced = mrr.rows.filter(r => r.currency != null);
    Charts.line(chart('panel-mrr'), {title: 'MRR at the end of each day', labels: priced.length ? labels : [],
      format: num, series: seriesBy(priced, labels, r => r.currency, r => Number(r.mrr))});
    Charts.bar(chart('panel-churn'), {title: 'Churn rate per month', category: 'Month and currency',
      labels: churn.rows.map(r => r.period + ' ' + (r.currency || 'unpriced')), values: churn.rows.map(r => r.churnRate),
      format: pct});
    Charts.bar(chart('panel-tiers'), {title: 'Accounts per tier', category: 'Tier', labels: tiers.rows.map(r => r.tier),
      values: tiers.rows.map(r => r.accounts), format: num});

    const variantLabels = variants.rows.map(r => r.flag + ': ' + r.variant);
    const variantChart = (panel, title, value, format) => Charts.bar(chart(panel),
      {title, category: 'Flag: variant', labels: variantLabels, values: variants.rows.map(value), format});
    variantChart('panel-variants-errors', 'Rollout variants: error rate', r => r.errorRate, pct);
    variantChart('panel-variants-latency', 'Rollout variants: p95 latency', r => r.latencyP95Ms, ms);
    variantChart('panel-variants-cost', 'Rollout variants: cost per request', r => Number(r.costPerRequestMicroUsd),
      num);
    Charts.line(chart('panel-rollout'), {title: 'Rollout decisions per day', labels: decisions.rows.length ? labels : [],
      format: num, series: ['ROLLED_BACK', 'ADVANCED'].map(d => ({name: d,
        values: perDay(decisions.rows.filter(r => r.decision === d), labels, () => 1)}))});
    const list = document.querySelector('#panel-rollout .decisions');
    list.replaceChildren(...decisions.rows.slice(-10).reverse().map(r => {
      const item = document.createElement('li');
      item.textContent = `${r.decidedAt} ${r.flag} ${r.decision} (v${r.flagVersion}, ${r.percentage} %): ${r.reason}`;
      return item;
    }));

    const anyConversations = conversations.rows.length > 0;
    Charts.line(chart('panel-conversations'), {title: 'Conversations per day', labels: anyConversations ? labels : [],
      format: num, series: [
        {name: 'created', values: perDay(conversations.rows, labels, r => r.conversationsCreated)},
        {name: 'deleted', values: perDay(conversations.rows, labels, r => r.conversationsDeleted)}]});
    Charts.line(chart('panel-messages'), {title: 'Messages per day', labels: anyConversations ? labels : [],
      format: num, series: [
        {name: 'user messages', values: perDay(conversations.rows, labels, r => r.userMessages)},
        {name: 'answers', values: perDay(conversations.rows, labels, r => r.answers)},
        {name: 'answers stopped', values: perDay(conversations.rows, labels, r => r.answersStopped)},
        {name: 'answers failed', values: perDay(conversations.rows, labels, r => r.answersFailed)}]});
    status.textContent = `Showing ${from} to ${to} (UTC).`;
    document.body.dataset.rendered = 'true';
  }

  async function show() {
    const from = document.getElementById('from').value, to = document.getElementById('to').value;
    status.textContent = 'Loading…';
    try {
      await render(from, to);
    } catch (e) {
      status.textContent = e.status === 401 || e.status === 403
        ? 'This key cannot see analytics (it needs the analyst or admin scope): ' + e.message
        : 'Could not load analytics: ' + e.message;
      // the console's credential is the console's: it signs itself out when the platform refuses it
      if (e.status === 401 || e.status === 403) sessionStorage.removeItem(STORED);
      document.body.dataset.rendered = 'error';
    }
  }

  function start() {
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
    const query = new URLSearchParams(location.search);
    document.getElementById('from').value = query.get('from') || from;
    document.getElementById('to').value = query.get('to') || today;
    document.getElementById('range').addEventListener('submit', e => { e.preventDefault(); show(); });
    document.getElementById('login').addEventListener('submit', e => {
      e.preventDefault();
      sessionStorage.setItem(STORED,
        JSON.stringify({kind: 'key', value: document.getElementById('api-key').value.trim()}));
      document.getElementById('login').hidden = true;
      show();
    });
    const cred = credentials();
    document.getElementById('console-link').hidden = !read(CONSOLE);
    if (cred && cred.fromConsole && cred.expiresAt && cred.expiresAt < Date.now()) {
      // an OIDC ID token the console renews on its next call; this page has no refresh of its own
      status.textContent = 'Your console sign-in has expired: go back to the console to renew it, then open '
        + 'analytics again.';
      document.body.dataset.rendered = 'error';
    } else if (cred) show();
    else document.getElementById('login').hidden = false;
  }

  start();
})();
