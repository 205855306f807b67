/**
 * The data exchange as a function asks it in production: the HTTP client of `exchange-client.ts`
 * with its credentials from Secrets Manager (DATA_EXCHANGE_SECRET_ARN), the local exchange's
 * address when DATA_EXCHANGE_ENDPOINT says so, and one metric per answer per source
 * (`DataExchangeFailed`: 1 for a failure, 0 for an answer) that the alarm of
 * `infra/data-exchange.ts` watches. Logs name the city, the source, the reason and the status:
 * never the question, which holds an ID number.
 */
import * as z from 'zod/mini';
import type { VerificationPolicy } from '../../kernel/domain/verification-policy.js';
import { environment } from '../../kernel/runtime/environment.js';
import { logger } from '../../kernel/runtime/logger.js';
import { emfLine } from '../../kernel/runtime/metrics.js';
import { secretValue } from '../../kernel/runtime/secrets.js';
import type { DataExchange } from '../domain/sources.js';
import { dataExchangeFailedMetricName } from '../functions.js';
import { type ExchangeClientOptions, type ExchangeOutcome, exchangeClient } from './exchange-client.js';

/** The metric each answer publishes, per source (dimension `Source`): the alarm fires on 15 failed minutes in a row. */
export const dataExchangeFailedMetric = dataExchangeFailedMetricName;

// Built on first use, like the wire's schemas: a bundle that never asks the exchange carries none of it.
const credentialsSchema = () => z.record(z.string().check(z.minLength(1)), z.string().check(z.minLength(16)));

/** The exchange's credentials: the secret's JSON, `{"<accessKeyId>": "<secret>"}`. */
export async function exchangeCredentials(): Promise<Readonly<Record<string, string>>> {
  const malformed = new Error('DATA_EXCHANGE_SECRET_ARN: the secret is not {"<accessKeyId>": "<secret>"}');
  let json: unknown;
  try {
    json = JSON.parse(await secretValue('dataExchangeCredentials'));
  } catch (error) {
    // JSON.parse quotes the text it failed on: the secret must not reach a log that way.
    if (error instanceof SyntaxError) throw malformed;
    throw error;
  }
  const parsed = z.safeParse(credentialsSchema(), json);
  if (!parsed.success) throw malformed;
  return parsed.data;
}

/** The EMF line of one answer: its source as the one dimension, the city and reason as properties only. */
export function outcomeMetricLine(outcome: ExchangeOutcome, at: Date): string {
  return emfLine(
    {
      Source: outcome.source,
      city: outcome.cityId,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
    },
    [['Source']],
    [{ name: dataExchangeFailedMetric, value: outcome.failed ? 1 : 0, unit: 'Count' }],
    at,
  );
}

/** Logs a failure and writes the metric line (on Lambda, where the log stream carries EMF; nowhere else). */
export function outcomePublisher(onLambda: boolean, write = (line: string) => process.stdout.write(`${line}\n`)) {
  return (outcome: ExchangeOutcome) => {
    if (outcome.failed)
      logger.warn('data exchange source unavailable', {
        cityId: outcome.cityId,
        source: outcome.source,
        reason: outcome.reason,
        status: outcome.status,
      });
    if (onLambda) write(outcomeMetricLine(outcome, new Date()));
  };
}

/**
 * The `DataExchange` a function uses: `policyOf(cityId)` answers the city's verification policy
 * in force (its `exchange` section: base URL and access key). Build it once per container, with
 * the function's other dependencies; `options` overrides the timeouts, retries or circuit.
 */
export function productionDataExchange(
  policyOf: (cityId: string) => Promise<Pick<VerificationPolicy, 'exchange'> | undefined>,
  options: Partial<Omit<ExchangeClientOptions, 'exchangeOf' | 'credentials'>> = {},
): DataExchange {
  const { AWS_LAMBDA_FUNCTION_NAME } = environment('AWS_LAMBDA_FUNCTION_NAME');
  return exchangeClient({
    exchangeOf: async (cityId) => (await policyOf(cityId))?.exchange,
    credentials: exchangeCredentials,
    endpointOverride: () => environment('DATA_EXCHANGE_ENDPOINT').DATA_EXCHANGE_ENDPOINT,
    onOutcome: outcomePublisher(AWS_LAMBDA_FUNCTION_NAME !== undefined),
    ...options,
  });
}
