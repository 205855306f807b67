/**
 * The manifest shape of an HTTP route: each module lists its own (`<module>/http/routes.ts`), the
 * API assembles them (`api/routes.ts`), and the CDK stack and the local server read that one list.
 */
import type * as z from 'zod/mini';
import type { TableNeeds } from '../store/table-needs.js';

/** What a route takes, as the schemas its handler validates with; `{}` when it takes nothing. */
export interface RouteRequest {
  /** An object schema with one property per `{name}` of the path. */
  path?: z.core.$ZodType;
  /** An object schema of the query string's parameters. */
  query?: z.core.$ZodType;
  /** The JSON body. */
  body?: z.core.$ZodType;
  /** The body may instead be CSV (`content-type: text/csv`). */
  csv?: true;
  /** The route honours an `Idempotency-Key` header. */
  idempotencyKey?: true;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway route path, `{name}` for path parameters. */
  path: string;
  /** Handler file from the repository root; it exports `handler`. */
  entry: string;
  /** Construct id of the function. */
  name: string;
  /** False only for the health check and the API's description; every other route needs a bearer token. */
  authorized: boolean;
  request: RouteRequest;
  needs: {
    /**
     * Exactly the table actions and indexes its handler's store calls use (its role is granted
     * these and no more; locally `local/local-iam.ts` refuses any other); absent when the route
     * never touches the table.
     */
    table?: TableNeeds;
    startExecutions?: true;
    releaseTasks?: true;
    describeWorkflow?: true;
    /** Asks the data exchange: its credentials (DATA_EXCHANGE_SECRET_ARN) and its failure metric. */
    dataExchange?: true;
    /** Seals resident ID numbers with the KMS key (kms:Encrypt only; RESIDENT_ID_KMS_KEY_ID). */
    sealResidentIds?: true;
    /** The key of the keyed hash of resident ID numbers (Secrets Manager; RESIDENT_ID_KEY_SECRET_ARN). */
    residentIdKey?: true;
    /** The key that seals webhook secrets (Secrets Manager; WEBHOOK_SECRET_KEY_SECRET_ARN). */
    webhookSecretKey?: true;
    /** Sends "deliver X" to the webhook queue (WEBHOOK_QUEUE_URL), to wake the worker at once. */
    webhookQueue?: true;
    /** The history's KMS HMAC key (HISTORY_MAC_KMS_KEY_ID): `write` MACs new events, `verify` checks them on read. */
    historyKey?: 'write' | 'verify';
    /** Seals and opens paging cursors with a key derived from the cursors' KMS HMAC key (PAGING_CURSOR_KMS_KEY_ID). */
    pagingCursors?: true;
  };
}
