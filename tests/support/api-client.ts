/** Calls a running local stack's HTTP API as a given person, with a token its local sign-in issues. */
import type { Actor } from '../../functions/kernel/domain/actor.js';
import type { LocalStack } from '../../local/runtime.js';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // Response bodies are whatever JSON the API answered; tests assert on their fields.
  body: any;
}

type Stack = Pick<LocalStack, 'apiUrl' | 'tokenFor'>;
/** One token per stack and person: minting gives the person the actor's assignment in the local directory. */
const tokens = new WeakMap<Stack, Map<string, Promise<string>>>();

function tokenFor(stack: Stack, actor: Actor): Promise<string> {
  const kept = tokens.get(stack) ?? new Map<string, Promise<string>>();
  tokens.set(stack, kept);
  const key = `${actor.sub}|${actor.role}|${actor.unit}`;
  const token = kept.get(key) ?? stack.tokenFor(actor);
  kept.set(key, token);
  return token;
}

export function apiAs(stack: Stack, actor?: Actor, extraHeaders: Record<string, string> = {}) {
  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> {
    const token = actor && (await tokenFor(stack, actor));
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        // The assignment this actor acts under: a test person may hold several.
        ...(actor ? { 'x-acting-as': `${actor.role}@${actor.unit}` } : {}),
        ...extraHeaders,
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => call('PUT', path, body, headers),
    delete: (path: string) => call('DELETE', path),
  };
}
