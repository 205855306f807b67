/**
 * One port over the two ways data arrives: a question whose source the city's policy answers from
 * snapshot files goes to the snapshot adapter, any other to the data-exchange platform over HTTP.
 * The policy is asked per question, so a city that moves a source to snapshots (a new policy
 * version) is answered the new way from then on.
 */
import type { VerificationPolicy } from '../../kernel/domain/verification-policy.js';
import type { DataExchange } from './sources.js';

export interface RoutedExchangeParts {
  snapshots: DataExchange;
  exchange: DataExchange;
  /** The verification section in force for the city (only `snapshotSources` is read). */
  policyOf: (cityId: string) => Promise<Pick<VerificationPolicy, 'snapshotSources'>>;
}

/** A `DataExchange` that sends each question to the snapshots or to the exchange, as the city's policy says. */
export function routedDataExchange({ snapshots, exchange, policyOf }: RoutedExchangeParts): DataExchange {
  return {
    async ask(cityId, question) {
      const { snapshotSources } = await policyOf(cityId);
      return (snapshotSources.includes(question.source) ? snapshots : exchange).ask(cityId, question);
    },
  };
}
