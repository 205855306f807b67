/**
 * The console's security headers, one definition for both places that serve it: CloudFront's
 * response headers policy (infra) and `npm start` (local), so the browser tests run under the CSP
 * that is deployed. Ant Design writes its styles at run time (CSS-in-JS), hence style-src
 * 'unsafe-inline'; scripts come only from the console's own origin, and so does the API: both
 * `npm start` and CloudFront serve it beside the console, so connect-src names only the sign-in's
 * exact origins besides 'self'.
 */
export function contentSecurityPolicy(origins: { issuer?: string; extra?: string[] }): string {
  const originOf = (url: string) => url.replace(/^(https?:\/\/[^/]+).*$/, '$1');
  const extra = [origins.issuer, ...(origins.extra ?? [])].filter((o): o is string => Boolean(o)).map(originOf);
  const connect = ["'self'", ...new Set(extra)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    `form-action 'self'${origins.issuer ? ` ${originOf(origins.issuer)}` : ''}`,
  ].join('; ');
}

export const otherSecurityHeaders = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
} as const;
