// Sign in: with an API key (always), or with the configured OIDC issuer (authorization code + PKCE).

import {h, field, statusLine} from '../dom.js';
import {api, ApiError} from '../api.js';
import {beginOidc, consoleConfig, signInWithKey, signOut, takeSignOutReason} from '../auth.js';
import {navigate} from '../router.js';
import {session} from '../session.js';

export function render(container, {query}) {
  const next = safeNext(query.get('next'));
  const reason = takeSignOutReason();
  const {oidc} = consoleConfig();
  const status = statusLine('form-error');
  status.setAttribute('role', 'alert');
  const key = h('input', {type: 'password', name: 'api-key', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'sk-cp-…', required: true});
  const submit = h('button', {type: 'submit', class: 'primary'}, 'Sign in');

  const form = h('form', {class: 'card', novalidate: true, onsubmit: async event => {
    event.preventDefault();
    const value = key.value.trim();
    if (!value) {
      status.textContent = 'Enter your API key.';
      key.focus();
      return;
    }
    submit.disabled = true;
    status.textContent = '';
    signInWithKey(value);
    try {
      await session.load();
      navigate(next, {replace: true});
    } catch (e) {
      signOut(null);
      submit.disabled = false;
      status.textContent = e instanceof ApiError && e.status === 401
        ? 'This API key is not valid, or it has been revoked.'
        : e.status === 404 ? 'This key has no account (the bootstrap admin key cannot use the console).' : e.message;
      key.focus();
    }
  }},
  h('h2', {}, 'With an API key'),
  field('API key', key, 'The key stays in this browser tab only and is forgotten when you close it.'),
  submit, status);

  const parts = [h('h1', {}, 'Sign in to the chat platform')];
  if (reason) parts.push(h('p', {class: 'notice', role: 'status'}, reason));
  if (oidc) {
    const host = new URL(oidc.issuer).host;
    const oidcStatus = statusLine('form-error');
    parts.push(h('div', {class: 'card'}, h('h2', {}, 'With your organisation\'s account'),
      h('p', {class: 'hint'}, `Signs you in through ${host}. The first time, an account is created for you.`),
      h('button', {type: 'button', class: 'primary', onclick: async () => {
        try {
          await beginOidc(next);
        } catch (e) {
          oidcStatus.textContent = e.message;
        }
      }}, `Sign in with ${host}`), oidcStatus));
  }
  parts.push(form);
  parts.push(h('p', {class: 'hint'}, 'Running the platform locally? The first command printed a ready API key ',
    '(PLATFORM_API_KEY=sk-cp-…); it is also in .platform-data/demo-api-key.'));
  container.append(h('div', {class: 'page narrow signin'}, parts));
}

/** Only a path of this console, never another origin. */
function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : '/chat';
}
