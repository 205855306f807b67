/**
 * A real OpenID Connect provider on one machine (`oidc-provider`, the certified implementation),
 * mounted under `/oidc` of the local HTTP server. Its sign-in page lists the demo people, each a
 * button; choosing one signs that person in (no password: this runs on 127.0.0.1 for development).
 * Its ID tokens (RS256, its key from the data directory) are what the local API accepts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { demoPeople } from './demo-people.js';
import { localAudience, type SigningKey } from './signing-keys.js';

const mount = '/oidc';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signInPage(uid: string): string {
  const buttons = demoPeople
    .map(
      (p) =>
        `<li><button type="submit" name="sub" value="${escapeHtml(p.sub)}">${escapeHtml(p.name)} · ${escapeHtml(p.sub)} · ${escapeHtml(p.role)} ${escapeHtml(p.unit)}</button></li>`,
    )
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录 Sign in</title></head>
<body><main><h1>登录 Sign in</h1><p>Local development: choose a demo person.</p>
<form method="post" action="${mount}/interaction/${escapeHtml(uid)}/login"><ul>
${buttons}
</ul></form></main></body></html>`;
}

export interface LocalSignIn {
  issuer: string;
  /** Handles the request when it is the provider's (under `/oidc`); false otherwise. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
}

export function localSignIn(apiUrl: string, key: SigningKey): LocalSignIn {
  const issuer = `${apiUrl}${mount}`;
  const people = new Map(demoPeople.map((p) => [p.sub, p]));
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: localAudience,
        token_endpoint_auth_method: 'none',
        // The staff console, served by the same server (local/console-site.ts).
        redirect_uris: [`${apiUrl}/signed-in`],
        post_logout_redirect_uris: [`${apiUrl}/`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    jwks: { keys: [key.privateJwk] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${mount}/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) =>
      people.has(sub) ? { accountId: sub, claims: async () => ({ sub, name: people.get(sub)?.name }) } : undefined,
    // The product's own console: no consent screen.
    loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string } } }) => {
      const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    ttl: { IdToken: 8 * 60 * 60, Session: 8 * 60 * 60, Grant: 8 * 60 * 60, Interaction: 60 * 60 },
  });
  provider.proxy = false;
  const callback = provider.callback();

  async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  return {
    issuer,
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== mount && !url.pathname.startsWith(`${mount}/`)) return false;
      const interaction = /^\/oidc\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
      if (interaction) {
        const details = await provider.interactionDetails(request, response);
        if (!interaction[2]) {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          response.end(signInPage(details.uid));
          return true;
        }
        const sub = (await readForm(request)).get('sub') ?? '';
        if (!people.has(sub)) {
          response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('unknown person');
          return true;
        }
        await provider.interactionFinished(
          request,
          response,
          { login: { accountId: sub } },
          { mergeWithLastSubmission: false },
        );
        return true;
      }
      // Mounted like koa-mount: the provider sees its own paths, and builds URLs from the issuer.
      (request as IncomingMessage & { originalUrl?: string }).originalUrl = request.url;
      request.url = (request.url ?? '/').slice(mount.length) || '/';
      await new Promise<void>((done) => {
        response.once('finish', done);
        response.once('close', done);
        callback(request, response);
      });
      return true;
    },
  };
}
