/** Calls the running HTTP API as a given person, with a locally signed token. */
import type { Actor } from '../../functions/domain/actor.js';
import { signLocalToken } from '../../local/auth.js';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // Response bodies are whatever JSON the API answered; tests assert on their fields.
  body: any;
}

export function apiAs(baseUrl: string, actor?: Actor) {
  const token = actor && signLocalToken(actor);
  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    delete: (path: string) => call('DELETE', path),
  };
}
