// Rollouts: every flag with its state, targeting (allow/deny lists, segments), percentage and plan, the kill-switch
// variables in force, and (admins) a new flag. A flag's own page (rollout.js) has its plan, verdicts and variants.

import {h, replace, field, statusLine} from '../../dom.js';
import {api} from '../../api.js';
import {dateTime} from '../../format.js';
import {errorNotice} from '../../errors.js';
import {navigate} from '../../router.js';
import {adminPage, canEdit} from './common.js';

export async function render(container) {
  const body = adminPage(container, 'Rollouts');
  if (!body) return;
  const list = h('div', {});
  body.append(canEdit() ? flagForm() : null, list);

  try {
    const flags = (await api.get('/api/v1/flags')).data ?? [];
    const plans = await Promise.all(flags.map(f => api.get(`/api/v1/flags/${encodeURIComponent(f.flag.key)}/plan`).catch(() => null)));
    const killed = flags.filter(f => f.envKilled || f.envPercentage !== null);
    replace(list,
      h('section', {class: 'card', 'aria-labelledby': 'env-title'}, h('h2', {id: 'env-title'}, 'Kill switches from the environment'),
        killed.length === 0 ? h('p', {class: 'hint', 'data-testid': 'env-switches'}, 'None in force: no ROLLOUT_KILL or ROLLOUT_PERCENT_<FLAG> names a flag.')
          : h('ul', {'data-testid': 'env-switches'}, killed.map(f => h('li', {}, h('strong', {}, f.flag.key), ': ',
            f.envKilled ? 'killed by ROLLOUT_KILL (off variant for everyone)' : `ROLLOUT_PERCENT sets ${f.envPercentage} %`)))),
      h('section', {class: 'card', 'aria-labelledby': 'flags-title'}, h('h2', {id: 'flags-title'}, 'Flags'),
        flags.length === 0 ? h('p', {class: 'hint'}, 'No flags yet.') : h('div', {class: 'table-wrap'}, h('table', {},
          h('thead', {}, h('tr', {}, ['Flag', 'State', 'Targeting', 'Percentage', 'Plan', 'Changed'].map(t => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, flags.map((f, i) => h('tr', {dataset: {flag: f.flag.key}},
            h('th', {scope: 'row'}, h('a', {href: `/admin/rollouts/${encodeURIComponent(f.flag.key)}`}, f.flag.key),
              f.flag.description ? h('p', {class: 'hint'}, f.flag.description) : null),
            h('td', {}, flagState(f)), h('td', {}, targeting(f.flag)),
            h('td', {class: 'num'}, `${f.envPercentage ?? f.flag.rolloutPercentage} %`),
            h('td', {}, plans[i] ? `${plans[i].status.toLowerCase().replace('_', ' ')}: ${plans[i].phases[plans[i].currentPhase].name}` : '–'),
            h('td', {}, dateTime(f.flag.changedAt)))))))));
  } catch (e) {
    replace(list, errorNotice(e));
  }
}

export function flagState(f) {
  if (f.envKilled) return h('span', {class: 'badge bad', 'data-testid': 'flag-state'}, 'killed (environment)');
  if (f.flag.killed) return h('span', {class: 'badge bad', 'data-testid': 'flag-state'}, 'killed');
  if (!f.flag.enabled) return h('span', {class: 'badge warn', 'data-testid': 'flag-state'}, 'disabled');
  return h('span', {class: 'badge ok', 'data-testid': 'flag-state'}, 'on');
}

export function targeting(flag) {
  const parts = [];
  if (flag.allowList.length) parts.push(`allow ${flag.allowList.join(', ')}`);
  if (flag.denyList.length) parts.push(`deny ${flag.denyList.join(', ')}`);
  for (const s of flag.segments) parts.push(`${s.attribute} ${s.operator === 'IN' ? 'in' : 'not in'} ${s.values.join(', ')}`);
  return parts.length ? parts.join('; ') : 'everyone';
}

/** A new flag: boolean, or several variants against the off variant (the safe state and control group). */
function flagForm() {
  const status = statusLine();
  const key = h('input', {type: 'text', name: 'flag-key', required: true, maxlength: '100', placeholder: 'e.g. chat.new-composer'});
  const description = h('input', {type: 'text', name: 'description', maxlength: '500'});
  const variants = h('input', {type: 'text', name: 'variants', placeholder: 'empty: a boolean flag (on/off)'});
  const off = h('input', {type: 'text', name: 'off-variant', placeholder: 'off'});
  const allow = h('input', {type: 'text', name: 'allow-list', placeholder: 'account ids, comma-separated'});
  const deny = h('input', {type: 'text', name: 'deny-list', placeholder: 'account ids, comma-separated'});
  const percentage = h('input', {type: 'number', name: 'percentage', min: '0', max: '100', value: '0'});
  const reason = h('input', {type: 'text', name: 'reason', required: true, maxlength: '500', placeholder: 'why (recorded in the audit log)'});
  return h('form', {class: 'card', onsubmit: async event => {
    event.preventDefault();
    const names = list(variants.value);
    try {
      const created = await api.post('/api/v1/flags', {
        key: key.value.trim(), description: description.value.trim() || null,
        kind: names.length ? 'MULTIVARIANT' : 'BOOLEAN',
        variants: names.length ? names.map(name => ({name, weight: Math.floor(1000 / names.length)})) : null,
        offVariant: off.value.trim() || (names.length ? null : 'off'),
        allowList: list(allow.value), denyList: list(deny.value), rolloutPercentage: Number(percentage.value),
        reason: reason.value.trim()});
      navigate(`/admin/rollouts/${encodeURIComponent(created.flag.key)}`);
    } catch (e) {
      status.replaceChildren(errorNotice(e));
    }
  }}, h('details', {}, h('summary', {}, h('strong', {}, 'Create a flag')),
    h('div', {class: 'grid'}, field('Key', key), field('Description', description),
      field('Variants', variants, 'Comma-separated names, equal weights; leave empty for on/off.'),
      field('Off variant', off, 'Served when the flag is off or killed: the safe state and the control group.'),
      field('Allow list', allow), field('Deny list', deny), field('Percentage', percentage),
      field('Reason', reason)),
    h('p', {class: 'hint'}, 'New flags are guarded by the default SLO rules: a breach rolls them back to the off variant.'),
    h('button', {type: 'submit', class: 'primary'}, 'Create flag'), status));
}

function list(text) {
  return text.split(',').map(s => s.trim()).filter(Boolean);
}
