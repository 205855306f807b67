/**
 * What the console keeps in a tab for the person signed in: form drafts (a new application's name,
 * phone and resident ID), the assignment they act as, and, in memory, the query cache. Tabs are
 * shared at a community office's desk, so all of it belongs to one person: signing out forgets it,
 * and a sign-in by someone else (after a sign-out, or from the "session expired" dialog, where the
 * drafts are kept for the same person to finish) finds none of it.
 */
import type { QueryClient } from '@tanstack/react-query';

/** Every key of ours in session storage starts so (oidc-client-ts keeps its own, `oidc.…`). */
const prefix = 'console.';
/** The `sub` the tab's drafts and choices belong to. */
const ownerKey = `${prefix}owner`;

/** Removes drafts, the acting-as choice and the owner from the tab's session storage. */
export function forgetTab(storage: Storage = window.sessionStorage): void {
  const ours: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) ours.push(key);
  }
  for (const key of ours) storage.removeItem(key);
}

/**
 * Before anything reads a draft: the tab becomes `sub`'s, and what another person left in it is
 * forgotten. The same person coming back (a new token after a 401) keeps their drafts.
 */
export function claimTab(sub: string | undefined, storage: Storage = window.sessionStorage): void {
  if (!sub || storage.getItem(ownerKey) === sub) return;
  forgetTab(storage);
  storage.setItem(ownerKey, sub);
}

/** Signs out of this tab: the token, the drafts, the acting-as choice and every cached answer. */
export async function signOutOfTab(manager: { removeUser(): Promise<void> }, queries: QueryClient): Promise<void> {
  await manager.removeUser();
  forgetTab();
  queries.clear();
}
