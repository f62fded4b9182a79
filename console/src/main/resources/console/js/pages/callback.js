// Where the OIDC issuer sends the browser back: finish the sign-in, sign up on first login, go on.

import {h, replace} from '../dom.js';
import {api, ApiError} from '../api.js';
import {completeOidc, signOut} from '../auth.js';
import {navigate} from '../router.js';
import {session} from '../session.js';

export async function render(container) {
  const query = new URLSearchParams(location.search);
  history.replaceState(null, '', '/auth/callback'); // the code is single-use; keep it out of history
  const status = h('p', {role: 'status'}, 'Signing you in…');
  const page = h('div', {class: 'page narrow'}, h('h1', {}, 'Signing in'), status);
  container.append(page);
  try {
    const {next, claims} = await completeOidc(query);
    await ensureAccount(claims, status);
    await session.load();
    navigate(next || '/chat', {replace: true});
  } catch (e) {
    signOut(null);
    replace(page, h('h1', {}, 'Sign-in failed'), h('p', {role: 'alert'}, e.message),
      h('p', {}, h('a', {href: '/signin'}, 'Back to sign in')));
  }
}

/**
 * The first sign-in of a person creates their account (POST /api/v1/accounts), which billing-service links to the
 * token's subject; the gateway learns the link from Kafka a moment later, so the account is polled until it answers.
 */
async function ensureAccount(claims, status) {
  try {
    await api.get('/api/v1/accounts/me');
    return;
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'signup_required') throw e;
  }
  status.textContent = 'Creating your account…';
  await api.post('/api/v1/accounts', {name: claims.name || claims.preferred_username || undefined});
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await api.get('/api/v1/accounts/me');
      return;
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'signup_required') throw e;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error('Your account was created but is not ready yet. Please sign in again in a moment.');
}
