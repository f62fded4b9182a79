// One flag: its definition and targeting, edited in place; kill and revive; its plan's phases with progress,
// minimum duration and sample, started, advanced, paused or resumed here, and the guard's rollback decision with its
// evidence when it rolled the flag back; the guard's verdict with its evidence; the variants side
// by side (rollout-service's comparison since the last change) and over time (analytics-service's variants report,
// drawn with the console's chart library); and the flag's audit log. Every change asks for a reason, which the
// audit log keeps.

import {h, append, replace, field, statusLine} from '../../dom.js';
import {api} from '../../api.js';
import {count, dateTime, relative} from '../../format.js';
import {errorNotice} from '../../errors.js';
import {drawLines, resizedWithWindow} from '../../charts.js';
import {adminPage, canEdit, facts, askReason} from './common.js';
import {flagState, targeting} from './rollouts.js';

export async function render(container, {params}) {
  const key = params.key;
  const body = adminPage(container, `Flag ${key}`);
  if (!body) return;
  const base = `/api/v1/flags/${encodeURIComponent(key)}`;
  const status = statusLine();
  const sections = h('div', {});
  const charts = [];
  body.append(status, sections);

  async function act(what, call) {
    const reason = askReason(what);
    if (!reason) return;
    try {
      await call(reason);
      status.textContent = `${what} Done: the reason is in the audit log.`;
      await load();
    } catch (e) {
      status.textContent = '';
      sections.prepend(errorNotice(e));
    }
  }

  async function load() {
    let flag;
    try {
      flag = await api.get(base);
    } catch (e) {
      replace(sections, errorNotice(e));
      return;
    }
    const to = new Date();
    const from = new Date(to.getTime() - 13 * 86400000);
    const range = new URLSearchParams({flag: key, from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10)});
    const [plan, comparison, audit, history] = await Promise.all([
      api.get(`${base}/plan`).catch(e => (e.status === 404 ? null : e)),
      api.get(`${base}/comparison`).catch(e => e),
      api.get(`${base}/audit?limit=50`).catch(e => e),
      api.get(`/api/v1/analytics/variants?${range}`).catch(e => e),
    ]);
    charts.splice(0).forEach(c => c.dispose());
    replace(sections, definitionCard(flag), planCard(plan, comparison, audit), comparisonCard(comparison),
      historyCard(history), auditCard(audit));
  }

  function definitionCard(f) {
    const d = f.flag;
    return h('section', {class: 'card', 'aria-labelledby': 'flag-title'}, h('h2', {id: 'flag-title'}, 'Definition'),
      facts([['State', flagState(f)], ['Description', d.description], ['Kind', d.kind.toLowerCase()],
        ['Variants', d.variants.map(v => `${v.name} (${v.weight})`).join(', ')], ['Off variant (control)', d.offVariant],
        ['Targeting', targeting(d), 'flag-targeting'], ['Percentage', `${d.rolloutPercentage} %`, 'flag-percentage'],
        f.envPercentage !== null ? ['Environment override', `ROLLOUT_PERCENT: ${f.envPercentage} %`] : null,
        f.envKilled ? ['Environment kill', 'ROLLOUT_KILL names this flag: the off variant for everyone here'] : null,
        ['SLO rules', f.rules?.guarded ? `guarded: error rate ≤ ${f.rules.maxErrorRate}, p95 ≤ ${f.rules.maxLatencyRatio}× control, `
          + `cost ≤ ${f.rules.maxCostRatio}× control, ${f.rules.minSamples} samples, ${f.rules.windowSeconds} s window` : 'not guarded'],
        ['Version', `${d.version}, by ${d.changedBy ?? '–'} ${relative(d.changedAt)}`]]),
      canEdit() ? h('div', {class: 'admin-actions'},
        d.killed
          ? h('button', {type: 'button', class: 'primary', onclick: () => act(`Revive ${key}.`, reason => api.post(`${base}/revive`, {reason}))}, 'Revive')
          : h('button', {type: 'button', class: 'danger', onclick: () => act(`Kill ${key}: the off variant for everyone.`, reason => api.post(`${base}/kill`, {reason}))}, 'Kill'),
        editForm(f)) : null);
  }

  function editForm(f) {
    const d = f.flag;
    const percentage = h('input', {type: 'number', name: 'percentage', min: '0', max: '100', value: String(d.rolloutPercentage)});
    const allow = h('input', {type: 'text', name: 'allow-list', value: d.allowList.join(', ')});
    const deny = h('input', {type: 'text', name: 'deny-list', value: d.denyList.join(', ')});
    const enabled = h('input', {type: 'checkbox', name: 'enabled', id: 'flag-enabled', checked: d.enabled});
    return h('form', {onsubmit: event => {
      event.preventDefault();
      act(`Change ${key}.`, reason => api.put(base, {description: d.description, kind: d.kind, enabled: enabled.checked,
        variants: d.variants, offVariant: d.offVariant, allowList: split(allow.value), denyList: split(deny.value),
        segments: d.segments, rolloutPercentage: Number(percentage.value), groupId: d.groupId, rules: f.rules, reason}));
    }}, h('details', {}, h('summary', {}, 'Edit targeting'),
      h('div', {class: 'grid'}, field('Percentage', percentage), field('Allow list', allow), field('Deny list', deny)),
      h('div', {class: 'field inline'}, enabled, h('label', {for: 'flag-enabled'}, 'Enabled')),
      h('button', {type: 'submit', class: 'primary'}, 'Save flag')));
  }

  function planCard(plan, comparison, audit) {
    const section = h('section', {class: 'card', 'aria-labelledby': 'plan-title'}, h('h2', {id: 'plan-title'}, 'Plan'));
    if (plan instanceof Error) {
      section.append(errorNotice(plan));
      return section;
    }
    if (!plan) {
      append(section, [h('p', {class: 'hint'}, 'No plan: the percentage above applies as it is.'),
        canEdit() ? h('button', {type: 'button', class: 'primary', onclick: () => act(`Start the default plan of ${key} (test accounts, 10, 25, 50, 100 %).`,
          reason => api.put(`${base}/plan`, {autoAdvance: true, reason}))}, 'Start plan') : null]);
      return section;
    }
    const samples = comparison instanceof Error ? null
      : comparison.variants.filter(v => v.variant !== comparison.control).reduce((n, v) => Math.max(n, v.requests), 0);
    const inPhase = (Date.now() - Date.parse(plan.phaseStartedAt)) / 1000;
    append(section, [facts([['Status', h('span', {'data-testid': 'plan-status'}, plan.status)],
      ['Auto-advance', plan.autoAdvance ? 'on: moves on when healthy, long enough and with enough samples' : 'off']]),
    h('div', {class: 'table-wrap'}, h('table', {}, h('caption', {class: 'sr-only'}, 'Phases'),
      h('thead', {}, h('tr', {}, ['Phase', 'Percentage', 'Minimum duration', 'Minimum sample', 'Progress'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, plan.phases.map((p, i) => h('tr', {dataset: {phase: i, current: i === plan.currentPhase ? 'true' : null}},
        h('th', {scope: 'row'}, p.name), h('td', {class: 'num'}, `${p.percentage} %`),
        h('td', {class: 'num'}, duration(p.minDurationSeconds)), h('td', {class: 'num'}, count(p.minSamples)),
        h('td', {}, i < plan.currentPhase ? 'done' : i > plan.currentPhase ? 'to come'
          : `current since ${dateTime(plan.phaseStartedAt)}: ${duration(Math.floor(inPhase))} of ${duration(p.minDurationSeconds)}, `
            + `${samples === null ? '?' : count(samples)} of ${count(p.minSamples)} samples`)))))),
    plan.status === 'PAUSED' ? h('p', {class: 'hint'}, 'Paused: the plan holds this phase (no advance, by hand or automatic) '
      + 'until resumed; the guard still rolls the flag back on a breach.') : null,
    plan.status === 'ROLLED_BACK' ? rollbackDecision(audit) : null,
    canEdit() ? h('div', {class: 'admin-actions'},
      plan.status === 'ACTIVE' ? h('button', {type: 'button', class: 'primary',
        onclick: () => act(`Advance ${key} to its next phase.`, reason => api.post(`${base}/plan/advance`, {reason}))}, 'Advance') : null,
      plan.status === 'ACTIVE' ? h('button', {type: 'button',
        onclick: () => act(`Pause the plan of ${key}: it holds this phase until resumed (the guard still rolls back on a breach).`,
          reason => api.post(`${base}/plan/pause`, {reason}))}, 'Pause') : null,
      plan.status === 'PAUSED' ? h('button', {type: 'button', class: 'primary',
        onclick: () => act(`Resume the plan of ${key}: this phase's minimum duration starts again.`,
          reason => api.post(`${base}/plan/resume`, {reason}))}, 'Resume') : null) : null]);
    return section;
  }

  /** The guard's last rollback of this flag, from the audit log: when, why, and the evidence it judged on. */
  function rollbackDecision(audit) {
    const decision = audit instanceof Error ? null : audit.data.find(e => e.action === 'flag.rolled-back');
    if (!decision) return null;
    return h('div', {class: 'notice', role: 'status', 'data-testid': 'rollback-decision'},
      h('p', {}, h('strong', {}, `Rolled back by ${decision.actor} ${dateTime(decision.at)}: `), decision.reason ?? ''),
      decision.after?.evidence?.length ? h('details', {open: true}, h('summary', {}, 'Evidence of the decision'),
        evidenceTable(decision.after.evidence)) : null);
  }

  function comparisonCard(c) {
    const section = h('section', {class: 'card', 'aria-labelledby': 'cmp-title'}, h('h2', {id: 'cmp-title'}, 'Variants side by side and the guard\'s verdict'));
    if (c instanceof Error) {
      section.append(errorNotice(c));
      return section;
    }
    const badge = {BREACH: 'bad', HEALTHY: 'ok'}[c.verdict] ?? 'warn';
    append(section, [h('p', {}, 'Verdict: ', h('span', {class: `badge ${badge}`, 'data-testid': 'verdict'}, c.verdict),
      ` since ${dateTime(c.since)} (flag version ${c.flagVersion}); control group: ${c.control}.`),
    c.variants.length === 0 ? h('p', {class: 'hint'}, 'No observation since the last change.') : h('div', {class: 'table-wrap'}, h('table', {},
      h('caption', {class: 'sr-only'}, 'Variants'),
      h('thead', {}, h('tr', {}, ['Source', 'Variant', 'Requests', 'Error rate', 'p50 latency', 'p95 latency', 'Cost per request'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, c.variants.map(v => h('tr', {dataset: {variant: v.variant}}, h('td', {}, v.source), h('th', {scope: 'row'}, v.variant),
        h('td', {class: 'num'}, count(v.requests)), h('td', {class: 'num'}, pct(v.errorRate)), h('td', {class: 'num'}, ms(v.p50LatencyMs)),
        h('td', {class: 'num'}, ms(v.p95LatencyMs)), h('td', {class: 'num'}, v.costPerRequest === null ? '–' : `${v.costPerRequest.toFixed(2)} µUSD`)))))),
    c.evidence.length === 0 ? null : h('details', {open: c.verdict === 'BREACH'}, h('summary', {}, 'Evidence: every rule judged'), evidenceTable(c.evidence))]);
    return section;
  }

  function historyCard(r) {
    const section = h('section', {class: 'card', 'aria-labelledby': 'hist-title'}, h('h2', {id: 'hist-title'}, 'Variants over time (last 14 days)'));
    if (r instanceof Error) {
      section.append(errorNotice(r));
      return section;
    }
    if (r.rows.length === 0) {
      section.append(h('p', {class: 'hint'}, 'No calls tagged with this flag in these days.'));
      return section;
    }
    const periods = [...new Set(r.rows.map(row => row.period))];
    const variants = [...new Set(r.rows.map(row => row.variant))];
    const metric = (name, scale = 1) => variants.map(v => ({name: v, values: periods.map(p => {
      const row = r.rows.find(x => x.period === p && x.variant === v);
      return row && row[name] !== null ? row[name] * scale : null;
    })}));
    const errorChart = h('div', {class: 'chart', role: 'img', 'aria-label': 'Error rate per variant and day, chart (the table below has the numbers)'});
    const latencyChart = h('div', {class: 'chart', role: 'img', 'aria-label': 'p95 latency per variant and day, chart'});
    section.append(h('div', {class: 'grid'}, errorChart, latencyChart),
      h('details', {}, h('summary', {}, 'Table of days'), h('div', {class: 'table-wrap'}, h('table', {},
        h('thead', {}, h('tr', {}, ['Day', 'Variant', 'Calls', 'Error rate', 'p50', 'p95', 'p99', 'First token p50', 'First token p95', 'Cost per request'].map(t => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, r.rows.map(row => h('tr', {}, h('th', {scope: 'row'}, row.period), h('td', {}, row.variant),
          h('td', {class: 'num'}, count(row.observations)), h('td', {class: 'num'}, pct(row.errorRate)),
          h('td', {class: 'num'}, ms(row.latencyP50Ms)), h('td', {class: 'num'}, ms(row.latencyP95Ms)), h('td', {class: 'num'}, ms(row.latencyP99Ms)),
          h('td', {class: 'num'}, ms(row.ttftP50Ms)), h('td', {class: 'num'}, ms(row.ttftP95Ms)),
          h('td', {class: 'num'}, row.costPerRequestMicroUsd === null ? '–' : `${row.costPerRequestMicroUsd} µUSD`))))))));
    requestAnimationFrame(() => {
      drawLines(errorChart, periods, metric('errorRate', 100), 'error %').then(c => charts.push(c));
      drawLines(latencyChart, periods, metric('latencyP95Ms'), 'p95 ms').then(c => charts.push(c));
    });
    return section;
  }

  function auditCard(a) {
    const section = h('section', {class: 'card', 'aria-labelledby': 'audit-title'}, h('h2', {id: 'audit-title'}, 'Audit log'));
    if (a instanceof Error) {
      section.append(errorNotice(a));
      return section;
    }
    section.append(h('div', {class: 'table-wrap'}, h('table', {}, h('caption', {class: 'sr-only'}, 'Audit log, newest first'),
      h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Why', 'Version'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {'data-testid': 'audit'}, a.data.map(e => h('tr', {dataset: {action: e.action}},
        h('th', {scope: 'row'}, dateTime(e.at)), h('td', {}, e.actor), h('td', {}, e.action.replace(/^flag\./, '').replaceAll('-', ' '),
          e.after?.evidence?.length ? h('details', {}, h('summary', {}, 'evidence'), evidenceTable(e.after.evidence)) : null),
        h('td', {}, e.reason ?? '–'), h('td', {class: 'num'}, String(e.after?.version ?? e.before?.version ?? '–'))))))));
    return section;
  }

  await load();
  return resizedWithWindow(charts);
}

function evidenceTable(evidence) {
  return h('div', {class: 'table-wrap'}, h('table', {}, h('caption', {class: 'sr-only'}, 'Evidence'),
    h('thead', {}, h('tr', {}, ['Rule', 'Source', 'Variant', 'Variant value', 'Control value', 'Threshold', 'Samples (variant / control)', 'Verdict']
      .map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, evidence.map(e => h('tr', {dataset: {verdict: e.verdict}}, h('th', {scope: 'row'}, e.rule), h('td', {}, e.source),
      h('td', {}, e.variant), h('td', {class: 'num'}, num(e.variantValue)), h('td', {class: 'num'}, num(e.controlValue)),
      h('td', {class: 'num'}, num(e.threshold)), h('td', {class: 'num'}, `${count(e.variantSamples)} / ${count(e.controlSamples)}`),
      h('td', {}, e.verdict))))));
}

function split(text) {
  return text.split(',').map(s => s.trim()).filter(Boolean);
}

function num(x) {
  return x === null || x === undefined ? '–' : String(Math.round(x * 1000) / 1000);
}

function pct(x) {
  return x === null || x === undefined ? '–' : `${(x * 100).toFixed(2)} %`;
}

function ms(x) {
  return x === null || x === undefined ? '–' : `${Math.round(x)} ms`;
}

function duration(seconds) {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)} min`;
  return `${seconds} s`;
}
