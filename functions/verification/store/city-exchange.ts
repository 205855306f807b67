/**
 * The exchange a function of this deployment asks: per city and source, the snapshot files the
 * exchange dropped (the sources the city's policy names) or its signed HTTP queries. Built once
 * per container: it holds the circuits, and the policy in force is read once per question.
 */
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { noVerification, type VerificationPolicy } from '../../kernel/domain/verification-policy.js';
import type { TableContext } from '../../kernel/store/table.js';
import { routedDataExchange } from '../domain/routed-exchange.js';
import type { DataExchange } from '../domain/sources.js';
import { productionDataExchange } from './data-exchange.js';
import { snapshotDataExchange } from './snapshot-exchange.js';

export interface CityPolicies {
  inForce(cityId: string, onDate: string): Promise<{ verification: VerificationPolicy } | undefined>;
}

export function cityDataExchange(table: TableContext, policies: CityPolicies, residentIdSecret: string): DataExchange {
  const policyOf = async (cityId: string) =>
    (await policies.inForce(cityId, shanghaiDate(new Date())))?.verification ?? noVerification;
  return routedDataExchange({
    snapshots: snapshotDataExchange({ table, residentIdSecret }),
    exchange: productionDataExchange(policyOf),
    policyOf,
  });
}
