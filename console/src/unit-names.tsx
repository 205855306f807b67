/**
 * Units by name: the data says `community:gexin-02`, a clerk reads 革新街第02社区. The city's unit
 * tree in force (`GET /units`, open to its staff) is fetched once a session and shared with the
 * administrator's tree page; an id not in it (another city's, or the tree not loaded yet) shows as
 * itself rather than as nothing.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useSession } from './session.js';

function useUnitTree() {
  const { client, user } = useSession();
  return useQuery({
    queryKey: ['units'],
    queryFn: () => client.units(),
    enabled: Boolean(user),
    // Changes to the tree are rare and made by the administrator, whose page refetches it.
    staleTime: 60 * 60_000,
  });
}

export function useUnitNames(): (unitId: string | undefined) => string {
  const units = useUnitTree();
  const names = useMemo(() => new Map(units.data?.units.map((u) => [u.id, u.name]) ?? []), [units.data]);
  return useCallback((unitId) => (unitId === undefined ? '' : (names.get(unitId) ?? unitId)), [names]);
}

/** The communities under a unit (itself, if it is one), by name: what an inbox filters by. */
export function useCommunitiesUnder(unitId: string | undefined): { id: string; name: string }[] {
  const units = useUnitTree();
  return useMemo(() => {
    const all = units.data?.units ?? [];
    const parentOf = new Map(all.map((u) => [u.id, u.parent ?? undefined]));
    const under = (id: string | undefined): boolean => id !== undefined && (id === unitId || under(parentOf.get(id)));
    return all.filter((u) => u.level === 'community' && under(u.id)).map(({ id, name }) => ({ id, name }));
  }, [units.data, unitId]);
}

/** The units at and under a unit, by name, city down to community: what the suspicion queue filters by. */
export function useUnitsUnder(unitId: string | undefined): { id: string; name: string }[] {
  const units = useUnitTree();
  return useMemo(() => {
    const all = units.data?.units ?? [];
    const parentOf = new Map(all.map((u) => [u.id, u.parent ?? undefined]));
    const under = (id: string | undefined): boolean => id !== undefined && (id === unitId || under(parentOf.get(id)));
    return all.filter((u) => under(u.id)).map(({ id, name }) => ({ id, name }));
  }, [units.data, unitId]);
}
