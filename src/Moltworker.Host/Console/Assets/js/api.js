// HTTP calls to the host's API with the stored key, and problem bodies turned into errors.

const KEY = 'moltworker.apiKey';

/** An API refusal: the HTTP status and the problem body's detail. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** The API key typed into this browser (localStorage), or null when none was needed. */
export const apiKey = {
  get: () => localStorage.getItem(KEY),
  set: key => localStorage.setItem(KEY, key),
  clear: () => localStorage.removeItem(KEY),
};

/** Calls the API: JSON in, JSON out; throws ApiError for any status that is not 2xx. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  const key = apiKey.get();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json?.detail ?? json?.title ?? `${response.status} ${response.statusText}`);
  return json;
}

/** GET of a route that answers JSON with an error status too (/healthz, /readyz): {status, body}. */
export async function probe(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  return { status: response.status, body };
}
