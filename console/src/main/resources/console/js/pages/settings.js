// Settings: default model and system prompt for new chats, whether costs are shown, theme. Stored by the platform
// (GET/PUT /api/v1/settings, chat-service), so they follow the person to any browser.

import {h, field, statusLine} from '../dom.js';
import {api} from '../api.js';
import {session, applyTheme} from '../session.js';
import {errorNotice} from '../errors.js';
import {perMillion, compactTokens} from '../format.js';

export async function render(container) {
  const s = session.settings;
  let models = [];
  try {
    models = await session.models();
  } catch {
    // the picker still offers the current value
  }
  const model = h('select', {name: 'defaultModel'},
    h('option', {value: ''}, 'Platform default'),
    models.map(m => h('option', {value: m.id, selected: m.id === s.defaultModel},
      `${m.id} · ${perMillion(m.pricing?.input_micro_usd_per_million)} / ${perMillion(m.pricing?.output_micro_usd_per_million)} per M · ${compactTokens(m.context_window)}`)),
    h('option', {value: 'auto', selected: s.defaultModel === 'auto'}, 'auto'));
  const prompt = h('textarea', {name: 'defaultSystemPrompt', rows: 4}, );
  prompt.value = s.defaultSystemPrompt || '';
  const showCost = h('input', {type: 'checkbox', name: 'showCost', checked: s.showCost});
  const themes = ['system', 'light', 'dark'].map(t => h('label', {class: 'radio'},
    h('input', {type: 'radio', name: 'theme', value: t, checked: (s.theme || 'system') === t, onchange: () => applyTheme(t)}),
    ` ${{system: 'Same as my device', light: 'Light', dark: 'Dark'}[t]}`));
  const status = statusLine();
  const errors = h('div');
  const form = h('form', {class: 'card', onsubmit: async event => {
    event.preventDefault();
    errors.replaceChildren();
    const theme = form.querySelector('input[name="theme"]:checked').value;
    try {
      const saved = await api.put('/api/v1/settings', {defaultModel: model.value || null,
        defaultSystemPrompt: prompt.value, showCost: showCost.checked, theme});
      session.settings = {...session.settings, ...saved};
      applyTheme(saved.theme);
      status.textContent = 'Settings saved.';
    } catch (e) {
      errors.append(errorNotice(e));
    }
  }},
  field('Default model for new chats', model),
  field('Default system prompt for new chats', prompt, 'Each chat can change its own; empty = none.'),
  h('div', {class: 'field inline'}, showCost, h('label', {for: showCost.id = 'show-cost'}, 'Show what each message costs')),
  h('fieldset', {class: 'field'}, h('legend', {}, 'Theme'), themes),
  h('button', {type: 'submit', class: 'primary'}, 'Save settings'), status, errors);
  container.append(h('div', {class: 'page narrow'}, h('h1', {}, 'Settings'), form,
    h('section', {class: 'card'}, h('h2', {}, 'Account'),
      h('p', {}, `${session.me.name || ''} ${session.me.email}`), h('p', {class: 'hint'}, `Account id ${session.me.id}`))));
}
