/**
 * Where the console signs in and which API it calls: read at run time from `/config.json`, written
 * by `npm start` locally and by the CDK deployment on AWS, so one build serves every environment.
 */
export interface ConsoleConfig {
  /** The OpenID Connect issuer (authorization code with PKCE). */
  issuer: string;
  clientId: string;
  /** The API's base URL; empty when it is served from the console's own origin. */
  apiUrl: string;
  /** The token the API takes as bearer: `id_token` (the local provider, Cognito's ID token) or `access_token`. */
  bearer?: 'id_token' | 'access_token';
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
