// What every page may need about the signed-in person, fetched once per sign-in and shared: the account, the
// settings, the model catalog.

import {api} from './api.js';

const DEFAULT_SETTINGS = {defaultModel: null, defaultSystemPrompt: '', showCost: true, theme: 'system'};

export const session = {
  me: null,
  settings: {...DEFAULT_SETTINGS},
  modelsPromise: null,

  async load() {
    const [me, settings] = await Promise.all([
      api.get('/api/v1/accounts/me'),
      api.get('/api/v1/settings').catch(() => ({...DEFAULT_SETTINGS})),
    ]);
    this.me = me;
    this.settings = {...DEFAULT_SETTINGS, ...settings};
    applyTheme(this.settings.theme);
    return this;
  },

  clear() {
    this.me = null;
    this.settings = {...DEFAULT_SETTINGS};
    this.modelsPromise = null;
  },

  /** The chat models the API lists (not its embedding models), each with its price and context window; fetched once. */
  models() {
    this.modelsPromise ??= api.get('/v1/models').then(list => list.data.filter(m => m.kind !== 'embedding')).catch(e => {
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
