// API keys: create (the secret shown once, with a copy button), list with last use, revoke.

import {h, replace, field, statusLine} from '../dom.js';
import {api} from '../api.js';
import {dateTime, relative} from '../format.js';
import {errorNotice} from '../errors.js';

export async function render(container) {
  const name = h('input', {type: 'text', name: 'name', maxlength: '100', required: true, placeholder: 'e.g. laptop, CI'});
  const created = h('div', {class: 'created'});
  const status = statusLine();
  const list = h('div', {class: 'table-wrap'});
  const form = h('form', {class: 'card', onsubmit: async event => {
    event.preventDefault();
    if (!name.value.trim()) {
      name.focus();
      status.textContent = 'Give the key a name, so you know later what uses it.';
      return;
    }
    try {
      const key = await api.post('/api/v1/api-keys', {name: name.value.trim(), scopes: ['chat']});
      name.value = '';
      status.textContent = '';
      replace(created, secret(key));
      created.querySelector('code').focus();
      await load();
    } catch (e) {
      replace(created, errorNotice(e));
    }
  }}, h('h2', {}, 'Create a key'), field('Name', name, 'New keys can chat and read your own usage (scope chat); they cannot manage keys or billing.'),
  h('button', {type: 'submit', class: 'primary'}, 'Create key'), status);

  container.append(h('div', {class: 'page'}, h('h1', {}, 'API keys'),
    h('p', {}, 'Use a key with any OpenAI client: base URL ', h('code', {}, `${location.origin}/v1`), '. ',
      'A revoked key stops working within a second.'),
    form, created, h('section', {class: 'card', 'aria-labelledby': 'keys-title'}, h('h2', {id: 'keys-title'}, 'Your keys'), list)));

  async function load() {
    try {
      const keys = (await api.get('/api/v1/api-keys')).data;
      keys.sort((a, b) => (a.status === b.status ? b.createdAt.localeCompare(a.createdAt) : a.status === 'active' ? -1 : 1));
      replace(list, h('table', {},
        h('thead', {}, h('tr', {}, ['Name', 'Key', 'Scopes', 'Created', 'Last used', 'Status', ''].map(t => h('th', {scope: 'col'}, t || h('span', {class: 'sr-only'}, 'Actions'))))),
        h('tbody', {}, keys.map(k => h('tr', {dataset: {keyId: k.id, status: k.status}},
          h('th', {scope: 'row'}, k.name || '(unnamed)'), h('td', {}, h('code', {}, `${k.prefix}…`)), h('td', {}, k.scopes.join(', ')),
          h('td', {}, dateTime(k.createdAt)),
          h('td', {title: k.lastUsedAt ? dateTime(k.lastUsedAt) : ''}, k.lastUsedAt ? relative(k.lastUsedAt) : 'never'),
          h('td', {}, k.status === 'active' ? h('span', {class: 'badge ok'}, 'active') : h('span', {class: 'badge bad'}, `revoked ${relative(k.revokedAt)}`)),
          h('td', {}, k.status === 'active'
            ? h('button', {type: 'button', class: 'small', 'aria-label': `Revoke ${k.name || k.prefix}`, onclick: () => revoke(k)}, 'Revoke')
            : null))))));
    } catch (e) {
      replace(list, errorNotice(e));
    }
  }

  async function revoke(key) {
    if (!confirm(`Revoke the key "${key.name || key.prefix}"? Anything using it stops working at once.`)) return;
    try {
      await api.delete(`/api/v1/api-keys/${encodeURIComponent(key.id)}`);
      status.textContent = `Key "${key.name}" revoked.`;
      await load();
    } catch (e) {
      replace(created, errorNotice(e));
    }
  }

  await load();
}

function secret(key) {
  const code = h('code', {tabindex: '0', 'data-testid': 'new-secret'}, key.key);
  const copied = h('span', {role: 'status', class: 'hint'});
  return h('div', {class: 'card notice', role: 'region', 'aria-label': 'Your new key'},
    h('h2', {}, `Key "${key.name}" created`),
    h('p', {}, h('strong', {}, 'Copy it now: '), 'it is shown only this once and cannot be recovered.'),
    h('div', {class: 'secret'}, code, h('button', {type: 'button', onclick: async () => {
      try {
        await navigator.clipboard.writeText(key.key);
        copied.textContent = 'Copied to the clipboard.';
      } catch {
        getSelection().selectAllChildren(code);
        copied.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
      }
    }}, 'Copy')), copied);
}
