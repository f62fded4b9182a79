// Who is signed in, and with what. The credential (an API key, or the OIDC ID token with its refresh token) lives
// in this tab's sessionStorage only: it survives a reload, never outlives the tab, is never written to
// localStorage or a cookie, and never appears in a URL.

const STORAGE = 'console.credential';
const PENDING = 'console.oidc.pending';
const listeners = new Set();

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE));
  } catch {
    return null;
  }
}

function write(credential) {
  if (credential) sessionStorage.setItem(STORAGE, JSON.stringify(credential));
  else sessionStorage.removeItem(STORAGE);
}

function emit(event, detail) {
  for (const listener of listeners) listener(event, detail);
}

/** The deployment's sign-in options, written into index.html by the gateway. */
export function consoleConfig() {
  const meta = document.querySelector('meta[name="console-config"]');
  try {
    return JSON.parse(meta?.content || '{}');
  } catch {
    return {};
  }
}

export function signedIn() {
  return read() !== null;
}

export function credentialKind() {
  return read()?.kind ?? null;
}

/** Listens for 'signedin' and 'signedout' ({reason}). */
export function onAuthChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The bearer token for the next call; refreshes an OIDC token that is about to expire. Null when signed out. */
export async function bearer() {
  const credential = read();
  if (!credential) return null;
  if (credential.kind === 'oidc' && credential.expiresAt && credential.expiresAt - 30000 < Date.now()) {
    return (await refresh(credential)) ?? null;
  }
  return credential.token;
}

/** Stores an API key the gateway has just accepted. */
export function signInWithKey(key) {
  write({kind: 'key', token: key});
  emit('signedin');
}

let signOutReason = null;

/** Forgets the credential; `reason` (when the platform refused it) is shown once on the sign-in page. */
export function signOut(reason) {
  write(null);
  signOutReason = reason ?? null;
  emit('signedout', {reason});
}

export function takeSignOutReason() {
  const reason = signOutReason;
  signOutReason = null;
  return reason;
}

// ---- OIDC: authorization code with PKCE (RFC 7636), public client, no secret ----

function base64url(bytes) {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function claims(jwt) {
  const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const json = decodeURIComponent(Array.from(atob(payload), c => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
  return JSON.parse(json);
}

async function discovery(issuer) {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`The identity provider's configuration could not be read (${response.status}).`);
  return response.json();
}

function redirectUri() {
  return `${location.origin}/auth/callback`;
}

/** Sends the browser to the identity provider; it comes back to /auth/callback. */
export async function beginOidc(next) {
  const {oidc} = consoleConfig();
  const provider = await discovery(oidc.issuer);
  const verifier = randomString(32);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = randomString(16);
  const nonce = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({verifier, state, nonce, next, tokenEndpoint: provider.token_endpoint}));
  const url = new URL(provider.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: oidc.clientId, redirect_uri: redirectUri(), scope: oidc.scopes,
    state, nonce, code_challenge: challenge, code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

async function tokenRequest(endpoint, params) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(params),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error_description || body.error || `The identity provider answered ${response.status}.`);
  return body;
}

function store(tokens, tokenEndpoint, previousRefresh) {
  const idClaims = claims(tokens.id_token);
  write({
    kind: 'oidc', token: tokens.id_token, refreshToken: tokens.refresh_token || previousRefresh || null,
    tokenEndpoint, expiresAt: idClaims.exp * 1000, name: idClaims.name || idClaims.preferred_username || null,
  });
  return idClaims;
}

/**
 * Completes the sign-in from the callback's query (code and state): checks the state and the ID token's nonce,
 * exchanges the code with the PKCE verifier, stores the ID token. Returns {next, claims}.
 */
export async function completeOidc(query) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  if (query.get('error')) throw new Error(query.get('error_description') || query.get('error'));
  if (!pending || query.get('state') !== pending.state) {
    throw new Error('This sign-in was not started here or has expired. Please sign in again.');
  }
  const {oidc} = consoleConfig();
  const tokens = await tokenRequest(pending.tokenEndpoint, {
    grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(),
    client_id: oidc.clientId, code_verifier: pending.verifier,
  });
  if (!tokens.id_token) throw new Error('The identity provider returned no ID token.');
  const idClaims = claims(tokens.id_token);
  if (idClaims.nonce !== pending.nonce) throw new Error('The ID token does not belong to this sign-in.');
  store(tokens, pending.tokenEndpoint, null);
  emit('signedin');
  return {next: pending.next, claims: idClaims};
}

let refreshing = null;

async function refresh(credential) {
  if (!credential.refreshToken) {
    signOut('Your sign-in has expired. Please sign in again.');
    return null;
  }
  refreshing ??= tokenRequest(credential.tokenEndpoint, {
    grant_type: 'refresh_token', refresh_token: credential.refreshToken, client_id: consoleConfig().oidc?.clientId,
  }).then(tokens => {
    if (!tokens.id_token) throw new Error('no ID token');
    store(tokens, credential.tokenEndpoint, credential.refreshToken);
    return tokens.id_token;
  }).catch(() => {
    signOut('Your sign-in has expired. Please sign in again.');
    return null;
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}
