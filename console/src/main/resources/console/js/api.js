// The console's only way to the platform: the gateway's public API, with the signed-in person's own credential.

import {bearer, signOut} from './auth.js';

/** An API error in the platform's shape ({"error":{"message","type","code","param"}}), plus what the headers said. */
export class ApiError extends Error {
  constructor(status, error, headers) {
    super(error?.message || `The platform answered ${status}.`);
    this.status = status;
    this.code = error?.code ?? null;
    this.type = error?.type ?? null;
    this.param = error?.param ?? null;
    const retry = headers?.get?.('Retry-After');
    this.retryAfterSeconds = retry && /^\d+$/.test(retry) ? Number(retry) : null;
  }

  static async from(response) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // not JSON: keep the status
    }
    return new ApiError(response.status, body?.error, response.headers);
  }
}

export const NETWORK_ERROR = 'network_error';

async function call(method, path, {body, signal, accept} = {}) {
  const headers = new Headers();
  const token = await bearer();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (body !== undefined) headers.set('Content-Type', 'application/json');
  if (accept) headers.set('Accept', accept);
  let response;
  try {
    response = await fetch(path, {method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, {code: NETWORK_ERROR, message: 'The platform cannot be reached. Check your connection and try again.'});
  }
  if (!response.ok) {
    const error = await ApiError.from(response);
    if (response.status === 401) signOut('Your sign-in is no longer valid. Please sign in again.');
    throw error;
  }
  return response;
}

async function json(method, path, options) {
  const response = await call(method, path, options);
  return response.status === 204 ? null : response.json();
}

export const api = {
  get: (path, options) => json('GET', path, options),
  post: (path, body, options) => json('POST', path, {...options, body}),
  patch: (path, body, options) => json('PATCH', path, {...options, body}),
  put: (path, body, options) => json('PUT', path, {...options, body}),
  delete: (path, options) => json('DELETE', path, options),
  /** The raw response (a stream, a file). */
  raw: (method, path, options) => call(method, path, options),
};

/** Raised when a stream ends without its terminal event: the connection dropped. */
export class StreamDropped extends Error {
  constructor() {
    super('The connection dropped before the answer was complete.');
  }
}

/**
 * The `data:` events of a server-sent-event response, parsed as JSON, each handed over as soon as its bytes arrive
 * (no buffering beyond one event). Ends at `data: [DONE]`; throws StreamDropped when the body ends or fails first.
 */
export async function* serverSentEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    while (true) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch {
        throw new StreamDropped();
      }
      if (chunk.done) throw new StreamDropped();
      buffer += decoder.decode(chunk.value, {stream: true});
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter(line => line.startsWith('data:'))
          .map(line => line.slice(5).trimStart()).join('\n');
        if (!data) continue;
        if (data === '[DONE]') return;
        yield JSON.parse(data);
      }
    }
  } finally {
    reader.releaseLock();
  }
}
