/**
 * Sign-in with `oidc-client-ts` (authorization code with PKCE, a public client). The user is kept in
 * the tab's session storage; signing out forgets it here, and the next sign-in asks the provider
 * to choose the person again (`prompt=login`).
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { ConsoleConfig } from './config.js';

export const callbackPath = '/signed-in';

export function userManager(config: ConsoleConfig): UserManager {
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${window.location.origin}${callbackPath}`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    scope: 'openid profile',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    loadUserInfo: false,
  });
}

/** Where to come back to after signing in: the page the person was on. */
export function signIn(manager: UserManager): Promise<void> {
  return manager.signinRedirect({ prompt: 'login', state: { returnTo: window.location.hash || '#/' } });
}

export async function finishSignIn(manager: UserManager): Promise<string> {
  const user = await manager.signinRedirectCallback();
  const state = user.state as { returnTo?: string } | undefined;
  return state?.returnTo ?? '#/';
}

export function bearerOf(user: User | null, config: ConsoleConfig): string | undefined {
  if (!user || user.expired) return undefined;
  return config.bearer === 'access_token' ? user.access_token : user.id_token;
}
