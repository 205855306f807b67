/**
 * The staff console on one machine: `npm start` builds it when its build is missing or older than
 * its sources (a stamp of the newest source time, so an unchanged console starts at once), and the
 * local HTTP server serves it at `/` beside the API, with `/config.json` naming the local sign-in.
 * Only the console's own paths are served here (`/`, `/signed-in`, `/config.json`, `/assets/…`);
 * the console routes in the URL's hash, so no API path is ever shadowed.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { contentSecurityPolicy, otherSecurityHeaders } from '../console/headers.js';

export const consoleRoot = join(import.meta.dirname, '..', 'console');
const dist = join(consoleRoot, 'dist');
const stampFile = join(dist, '.source-stamp');

/** Newest modification time among the console's sources and the domain modules it bundles. */
function newestSource(): number {
  let newest = 0;
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ['src', 'index.html', 'vite.config.ts', 'headers.ts']) walk(join(consoleRoot, path));
  walk(join(consoleRoot, '..', 'functions', 'domain'));
  walk(join(consoleRoot, '..', 'package-lock.json'));
  return Math.floor(newest);
}

/** Builds the console unless its build is as new as its sources; returns whether it built. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => undefined): Promise<boolean> {
  const newest = newestSource();
  if (existsSync(stampFile) && Number(readFileSync(stampFile, 'utf8')) >= newest) return false;
  log('building the staff console (console/dist)…');
  const { build } = await import('vite');
  await build({ configFile: join(consoleRoot, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampFile, String(newest));
  return true;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface ConsoleSite {
  handle(request: IncomingMessage, response: ServerResponse): boolean;
}

export function consoleSite(config: { issuer: string; clientId: string }): ConsoleSite {
  const headers = {
    'content-security-policy': contentSecurityPolicy({ issuer: config.issuer }),
    ...otherSecurityHeaders,
  };
  const send = (response: ServerResponse, status: number, type: string, body: string | Buffer, cache: string) => {
    response.writeHead(status, { 'content-type': type, 'cache-control': cache, ...headers });
    response.end(body);
  };
  return {
    handle(request, response) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path === '/config.json') {
        send(
          response,
          200,
          types['.json'] as string,
          JSON.stringify({ ...config, apiUrl: '', bearer: 'id_token' }),
          'no-store',
        );
        return true;
      }
      const isPage = path === '/' || path === '/index.html' || path === '/signed-in';
      const isAsset = path.startsWith('/assets/') || path === '/favicon.ico';
      if (!isPage && !isAsset) return false;
      const file = normalize(join(dist, isPage ? 'index.html' : path));
      if (!file.startsWith(dist) || !existsSync(file)) {
        // The API's shape of refusal, so every 4xx of this server reads the same.
        send(
          response,
          404,
          'application/problem+json; charset=utf-8',
          JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, detail: `no ${path} in the console` }),
          'no-store',
        );
        return true;
      }
      // Hashed asset names change with their content: cached for a year; the page itself never.
      send(
        response,
        200,
        types[extname(file)] ?? 'application/octet-stream',
        readFileSync(file),
        isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      return true;
    },
  };
}
