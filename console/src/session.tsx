/**
 * Who is signed in, as what, and the API client that acts for them. A 401 from the API marks the
 * session expired: a dialog asks to sign in again, and forms keep their drafts (`useDraft`) across
 * the round trip to the provider, for the same person only (`tab-owner.ts`).
 */
import { useQuery } from '@tanstack/react-query';
import type { User, UserManager } from 'oidc-client-ts';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { type Assignment, apiClient, type Client, type Me } from './api.js';
import { bearerOf } from './auth.js';
import type { ConsoleConfig } from './config.js';

interface Session {
  config: ConsoleConfig;
  manager: UserManager;
  user: User | null;
  client: Client;
  me: Me | undefined;
  meError: unknown;
  acting: Assignment | undefined;
  setActing(assignment: Assignment): void;
  expired: boolean;
}

const Context = createContext<Session | undefined>(undefined);
const actingKey = 'console.actingAs';
const key = (a: Assignment) => `${a.role}@${a.unit}`;

export function SessionProvider(props: {
  config: ConsoleConfig;
  manager: UserManager;
  user: User | null;
  children: ReactNode;
}) {
  const { config, manager, user } = props;
  const [expired, setExpired] = useState(false);
  const [actingKeyValue, setActingKeyValue] = useState(() => window.sessionStorage.getItem(actingKey) ?? undefined);
  const acting = useRef<string | undefined>(actingKeyValue);
  acting.current = actingKeyValue;
  const client = useMemo(
    () =>
      apiClient({
        apiUrl: config.apiUrl,
        token: () => bearerOf(user, config),
        actingAs: () => acting.current,
        onUnauthorized: () => setExpired(true),
      }),
    [config, user],
  );
  const me = useQuery({ queryKey: ['me', user?.profile.sub], queryFn: () => client.me(), enabled: Boolean(user) });
  const assignments = me.data?.assignments ?? [];
  const chosen = assignments.find((a) => key(a) === actingKeyValue) ?? assignments[0];
  useEffect(() => {
    if (chosen && key(chosen) !== actingKeyValue) setActingKeyValue(key(chosen));
  }, [chosen, actingKeyValue]);
  useEffect(() => {
    if (user?.expired) setExpired(true);
  }, [user]);
  const value: Session = {
    config,
    manager,
    user,
    client,
    me: me.data,
    meError: me.error,
    acting: chosen,
    setActing(assignment) {
      window.sessionStorage.setItem(actingKey, key(assignment));
      acting.current = key(assignment);
      setActingKeyValue(key(assignment));
    },
    expired,
  };
  return <Context.Provider value={value}>{props.children}</Context.Provider>;
}

export function useSession(): Session {
  const session = useContext(Context);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** A form's values kept in the tab's session storage, so a new sign-in does not lose them. */
export function useDraft<T>(name: string, initial: T): [T, (value: T) => void, () => void] {
  const storage = `console.draft.${name}`;
  const [value, setValue] = useState<T>(() => {
    const kept = window.sessionStorage.getItem(storage);
    return kept ? (JSON.parse(kept) as T) : initial;
  });
  return [
    value,
    (next) => {
      window.sessionStorage.setItem(storage, JSON.stringify(next));
      setValue(next);
    },
    () => window.sessionStorage.removeItem(storage),
  ];
}
