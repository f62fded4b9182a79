// What every page may need about the signed-in person, fetched once per sign-in and shared: the account, the
// settings, the model catalog.

import {api} from './api.js';

const DEFAULT_SETTINGS = {defaultModel: null, defaultSystemPrompt: '', showCost: true, theme: 'system'};

export const session = {
  me: null,
  /** The credential's scopes, as the platform asserts them (GET /api/v1/accounts/me/identity). */
  scopes: [],
  settings: {...DEFAULT_SETTINGS},
  modelsPromise: null,

  async load() {
    const [identity, me, settings] = await Promise.all([
      api.get('/api/v1/accounts/me/identity'),
      // an operator's key may lack the account scope (403), and the bootstrap admin is no account at all (404)
      api.get('/api/v1/accounts/me').catch(e => {
        if (e.status === 403 || e.status === 404) return null;
        throw e;
      }),
      api.get('/api/v1/settings').catch(() => ({...DEFAULT_SETTINGS})),
    ]);
    this.scopes = identity.scopes;
    this.me = me ?? {id: identity.accountId, name: identity.accountId, email: '', tier: null};
    this.settings = {...DEFAULT_SETTINGS, ...settings};
    applyTheme(this.settings.theme);
    return this;
  },

  /** Whether the credential holds `scope` (admin holds every scope, as the services check). */
  can(scope) {
    return this.scopes.includes(scope) || this.scopes.includes('admin');
  },

  clear() {
    this.me = null;
    this.scopes = [];
    this.settings = {...DEFAULT_SETTINGS};
    this.modelsPromise = null;
  },

  /** The models the API lists, each with its price and context window; fetched once. */
  models() {
    this.modelsPromise ??= api.get('/v1/models').then(list => list.data).catch(e => {
      this.modelsPromise = null;
      throw e;
    });
    return this.modelsPromise;
  },
};

/** 'light' | 'dark' | 'system'; remembered in localStorage (not a secret) so the next load paints in it at once. */
export function applyTheme(theme) {
  const value = theme === 'light' || theme === 'dark' ? theme : 'system';
  localStorage.setItem('console.theme', value);
  document.documentElement.dataset.theme = value;
  const dark = value === 'dark' || (value === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  const light = document.getElementById('code-light');
  const darkSheet = document.getElementById('code-dark');
  if (light && darkSheet) {
    light.media = dark ? 'not all' : 'all';
    darkSheet.media = dark ? 'all' : 'not all';
  }
}
