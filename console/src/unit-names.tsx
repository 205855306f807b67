/**
 * Units by name: the data says `community:gexin-02`, a clerk reads 革新街第02社区. The city's unit
 * tree in force (`GET /units`, open to its staff) is fetched once a session and shared with the
 * administrator's tree page; an id not in it (another city's, or the tree not loaded yet) shows as
 * itself rather than as nothing.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useSession } from './session.js';

export function useUnitNames(): (unitId: string | undefined) => string {
  const { client, user } = useSession();
  const units = useQuery({
    queryKey: ['units'],
    queryFn: () => client.units(),
    enabled: Boolean(user),
    // Changes to the tree are rare and made by the administrator, whose page refetches it.
    staleTime: 60 * 60_000,
  });
  const names = useMemo(() => new Map(units.data?.units.map((u) => [u.id, u.name]) ?? []), [units.data]);
  return useCallback((unitId) => (unitId === undefined ? '' : (names.get(unitId) ?? unitId)), [names]);
}
