// Models and prices: provider-service's catalog (through the gateway's /api/v1/admin/models/**) with providers,
// deployments, fallbacks, enabled state, modalities and the price in force; admins add a model, enable or disable
// one, and schedule a new price (now or later, never in the past: the price book is dated and billed requests keep
// their price). Every model's price history is shown, newest first.

import {h, replace, field, statusLine} from '../../dom.js';
import {api} from '../../api.js';
import {count, usd, dateTime} from '../../format.js';
import {errorNotice} from '../../errors.js';
import {adminPage, canEdit, dollarsToMicro} from './common.js';

const PROVIDERS = ['simulated', 'openai', 'anthropic', 'gemini', 'groq', 'openai-compatible'];

export async function render(container) {
  const body = adminPage(container, 'Models and prices');
  if (!body) return;
  const status = statusLine();
  const catalog = h('div', {});
  body.append(status, canEdit() ? addModelForm() : null, catalog);

  async function load() {
    try {
      const models = (await api.get('/api/v1/admin/models')).data;
      replace(catalog,
        h('section', {class: 'card', 'aria-labelledby': 'catalog-title'}, h('h2', {id: 'catalog-title'}, 'Catalog'),
          h('div', {class: 'table-wrap'}, h('table', {},
            h('thead', {}, h('tr', {}, ['Model', 'Provider', 'Deployments', 'Fallbacks', 'Modalities', 'Context', 'Price in force (per 1M tokens)', 'State']
              .map(t => h('th', {scope: 'col'}, t)))),
            h('tbody', {}, models.map(m => h('tr', {dataset: {model: m.id}},
              h('th', {scope: 'row'}, m.id, m.aliases.length ? h('p', {class: 'hint'}, `also ${m.aliases.join(', ')}`) : null),
              h('td', {}, m.provider),
              h('td', {}, m.deployments.map(d => h('div', {}, `${d.provider}/${d.upstreamModel} (weight ${d.weight})`))),
              h('td', {}, m.fallbacks.join(' → ') || '–'),
              h('td', {}, m.capabilities.join(', ')),
              h('td', {class: 'num'}, count(m.contextWindow)),
              h('td', {'data-testid': 'price-in-force'}, m.priceInForce ? priceText(m.priceInForce) : h('span', {class: 'badge bad'}, 'no price: not served')),
              h('td', {}, h('span', {class: `badge ${m.enabled ? 'ok' : 'warn'}`}, m.enabled ? 'enabled' : 'disabled'),
                canEdit() ? [' ', h('button', {type: 'button', class: 'small', 'aria-label': `${m.enabled ? 'Disable' : 'Enable'} ${m.id}`,
                  onclick: () => save(() => api.patch(`/api/v1/admin/models/${encodeURIComponent(m.id)}`, {enabled: !m.enabled}),
                    `${m.id} ${m.enabled ? 'disabled' : 'enabled'}.`)}, m.enabled ? 'Disable' : 'Enable')] : null))))))),
        h('section', {'aria-labelledby': 'prices-title'}, h('h2', {id: 'prices-title'}, 'Price book'), models.map(priceBook)));
    } catch (e) {
      replace(catalog, errorNotice(e));
    }
  }

  async function save(call, done) {
    try {
      await call();
      status.textContent = done;
      await load();
      return true;
    } catch (e) {
      status.textContent = '';
      catalog.prepend(errorNotice(e));
      return false;
    }
  }

  function priceBook(m) {
    const history = [...m.prices].reverse();
    const now = Date.now();
    return h('details', {class: 'card', dataset: {prices: m.id}, open: !m.priceInForce || history.length > 1},
      h('summary', {}, h('strong', {}, m.id), ' · ', m.priceInForce ? priceText(m.priceInForce) : 'no price'),
      history.length === 0 ? h('p', {class: 'hint'}, 'No price yet: the model is refused until it has one.')
        : h('div', {class: 'table-wrap'}, h('table', {},
          h('caption', {class: 'sr-only'}, `Price history of ${m.id}`),
          h('thead', {}, h('tr', {}, ['From', 'Input', 'Output', 'Cached input', ''].map(t => h('th', {scope: 'col'}, t || h('span', {class: 'sr-only'}, 'State'))))),
          h('tbody', {}, history.map(p => h('tr', {dataset: {effectiveFrom: p.effectiveFrom}},
            h('th', {scope: 'row'}, dateTime(p.effectiveFrom)), h('td', {}, usd(p.inputMicroUsdPerMtok)),
            h('td', {}, usd(p.outputMicroUsdPerMtok)), h('td', {}, usd(p.cachedInputMicroUsdPerMtok)),
            h('td', {}, samePrice(p, m.priceInForce) ? h('span', {class: 'badge ok'}, 'in force')
              : Date.parse(p.effectiveFrom) > now ? h('span', {class: 'badge warn'}, 'scheduled') : 'past')))))),
      canEdit() ? scheduleForm(m) : null);
  }

  function scheduleForm(m) {
    const from = h('input', {type: 'datetime-local', name: 'effectiveFrom'});
    const input = h('input', {type: 'text', name: 'input', inputmode: 'decimal', required: true, placeholder: '0.50'});
    const output = h('input', {type: 'text', name: 'output', inputmode: 'decimal', required: true, placeholder: '1.50'});
    const cached = h('input', {type: 'text', name: 'cached', inputmode: 'decimal', placeholder: 'same as input'});
    const problem = h('p', {class: 'form-error', role: 'alert'});
    return h('form', {class: 'schedule', 'aria-label': `Schedule a price for ${m.id}`, onsubmit: async event => {
      event.preventDefault();
      const when = from.value ? new Date(from.value) : null;
      const amounts = [input, output, cached].map(c => (c === cached && !c.value.trim() ? dollarsToMicro(input.value) : dollarsToMicro(c.value)));
      if (when && when.getTime() < Date.now()) {
        problem.textContent = 'A price takes effect now or later, never in the past: billed requests keep their price.';
        from.focus();
        return;
      }
      const bad = amounts.findIndex(a => a === null);
      if (bad >= 0) {
        problem.textContent = 'Prices are dollars per million tokens, like 0.50 (at most six decimals).';
        [input, output, cached][bad].focus();
        return;
      }
      problem.textContent = '';
      await save(() => api.post(`/api/v1/admin/models/${encodeURIComponent(m.id)}/prices`, {
        effectiveFrom: when ? when.toISOString() : null, inputMicroUsdPerMtok: amounts[0],
        outputMicroUsdPerMtok: amounts[1], cachedInputMicroUsdPerMtok: amounts[2]}),
      `New price of ${m.id} from ${when ? dateTime(when.toISOString()) : 'now'}.`);
    }}, h('h3', {}, 'Schedule a new price'),
    h('div', {class: 'grid'}, field('Takes effect (empty: now)', from), field('Input, $ per 1M tokens', input),
      field('Output, $ per 1M tokens', output), field('Cached input, $ per 1M tokens', cached)),
    h('button', {type: 'submit', class: 'primary'}, 'Schedule price'), problem);
  }

  function addModelForm() {
    const id = h('input', {type: 'text', name: 'model-id', required: true, maxlength: '100', placeholder: 'e.g. gpt-4o-mini'});
    const provider = h('select', {name: 'provider'}, PROVIDERS.map(p => h('option', {value: p}, p)));
    const upstream = h('input', {type: 'text', name: 'upstream', maxlength: '200', placeholder: 'same as the id'});
    const context = h('input', {type: 'number', name: 'context-window', min: '1', value: '128000', required: true});
    const maxOut = h('input', {type: 'number', name: 'max-output', min: '1', value: '4096', required: true});
    const form = h('form', {class: 'card', onsubmit: async event => {
      event.preventDefault();
      const ok = await save(() => api.post('/api/v1/admin/models', {id: id.value.trim(), provider: provider.value,
        upstreamModel: upstream.value.trim() || null, contextWindow: Number(context.value), maxOutputTokens: Number(maxOut.value)}),
      `${id.value.trim()} added. Give it a price below before anyone can use it.`);
      if (ok) form.reset();
    }}, h('details', {}, h('summary', {}, h('strong', {}, 'Add a model')),
      h('div', {class: 'grid'}, field('Model id', id), field('Provider', provider), field('Upstream model', upstream),
        field('Context window (tokens)', context), field('Max output tokens', maxOut)),
      h('button', {type: 'submit', class: 'primary'}, 'Add model')));
    return form;
  }

  await load();
}

function priceText(p) {
  return `${usd(p.inputMicroUsdPerMtok)} in · ${usd(p.outputMicroUsdPerMtok)} out · ${usd(p.cachedInputMicroUsdPerMtok)} cached`;
}

function samePrice(a, b) {
  return b !== null && a.effectiveFrom === b.effectiveFrom;
}
