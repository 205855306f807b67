/** The bench's pure arithmetic: percentiles, DynamoDB item sizes, and the cost model. No I/O. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { lambdaMemoryMb, lambdaPlatformLogBytesPerInvocation, prices as publishedPrices } from './prices.js';

/** Nearest-rank percentile (p in 0..100) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sum = samples.reduce((total, value) => total + value, 0);
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: samples.length ? Math.max(...samples) : Number.NaN,
    mean: samples.length ? sum / samples.length : Number.NaN,
  };
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's stored size: about one byte per two significant digits, plus one. */
function numberSize(text: string): number {
  const digits = text
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Size of one attribute value by DynamoDB's rules (the name is counted by the caller). */
export function attributeValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((total, item) => total + utf8Bytes(item), 0);
  if (value.NS) return value.NS.reduce((total, item) => total + numberSize(item), 0);
  if (value.BS) return value.BS.reduce((total, item) => total + item.byteLength, 0);
  // Lists and maps: 3 bytes, plus 1 byte per element, plus the elements (and, in maps, their names).
  if (value.L) return 3 + value.L.reduce((total, item) => total + 1 + attributeValueSize(item), 0);
  if (value.M)
    return (
      3 +
      Object.entries(value.M).reduce((total, [name, item]) => total + 1 + utf8Bytes(name) + attributeValueSize(item), 0)
    );
  return 0;
}

/** An item's size as DynamoDB counts it: each attribute's name plus its value. */
export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((total, [name, value]) => total + utf8Bytes(name) + attributeValueSize(value), 0);
}

/** What one workload did, summed over all its applications. */
export interface MeasuredWork {
  applications: number;
  /** Applications that ended approved; the cost is quoted per 1,000 of these. */
  approved: number;
  stateTransitions: number;
  /** HTTP API requests (each one API Gateway request and one Lambda invocation). */
  httpRequests: number;
  /** Summed billed duration of the HTTP handlers' invocations, ms (each rounded up to 1 ms). */
  httpBilledMs: number;
  /** Lambda invocations made by the state machine, and their billed duration, ms. */
  stepInvocations: number;
  stepBilledMs: number;
  readCapacityUnits: number;
  writeCapacityUnits: number;
  sqsRequests: number;
  /** Bytes the handlers wrote to their logs. */
  logBytes: number;
}

export interface CostLine {
  service: string;
  quantity: number;
  unit: string;
  usdPer1000: number;
}

export interface CostModel {
  lines: CostLine[];
  byService: Record<string, number>;
  totalUsdPer1000: number;
}

type Prices = typeof publishedPrices;

/** Cost per 1,000 approved applications, by line and by service, from measured counts. */
export function costPer1000Approved(
  work: MeasuredWork,
  prices: Prices = publishedPrices,
  memoryMb = lambdaMemoryMb,
): CostModel {
  if (work.approved <= 0) throw new Error('no application was approved: there is nothing to price per approval');
  const per1000 = (quantity: number) => (quantity / work.approved) * 1000;
  const invocations = work.httpRequests + work.stepInvocations;
  const gbSeconds = ((work.httpBilledMs + work.stepBilledMs) / 1000) * (memoryMb / 1024);
  const logGb = (work.logBytes + invocations * lambdaPlatformLogBytesPerInvocation) / 1e9;
  const line = (service: string, quantity: number, unit: string, usdPerUnit: number): CostLine => ({
    service,
    quantity: per1000(quantity),
    unit,
    usdPer1000: per1000(quantity) * usdPerUnit,
  });
  const lines = [
    line('Step Functions', work.stateTransitions, 'state transitions', prices.stepFunctionsStandardPerTransition.usd),
    line('Lambda', invocations, 'requests', prices.lambdaPerRequest.usd),
    line('Lambda', gbSeconds, `GB-s (${memoryMb} MB arm64)`, prices.lambdaArmPerGbSecond.usd),
    line('DynamoDB', work.writeCapacityUnits, 'write request units', prices.dynamoDbPerWriteRequestUnit.usd),
    line('DynamoDB', work.readCapacityUnits, 'read request units', prices.dynamoDbPerReadRequestUnit.usd),
    line('API Gateway', work.httpRequests, 'HTTP API requests', prices.httpApiPerRequest.usd),
    line('SQS', work.sqsRequests, 'requests', prices.sqsPerRequest.usd),
    line('CloudWatch Logs', logGb, 'GB ingested', prices.cloudWatchLogsPerGbIngested.usd),
  ];
  const byService: Record<string, number> = {};
  for (const { service, usdPer1000 } of lines) byService[service] = (byService[service] ?? 0) + usdPer1000;
  return { lines, byService, totalUsdPer1000: lines.reduce((total, { usdPer1000 }) => total + usdPer1000, 0) };
}

/** Storage cost of 1,000 applications kept for one month (not in the per-approval total). */
export function storageUsdPer1000PerMonth(bytesPerApplication: number, prices: Prices = publishedPrices): number {
  return ((bytesPerApplication * 1000) / 1024 ** 3) * prices.dynamoDbPerGbMonth.usd;
}

/** DynamoDB operations that consume read capacity; every other data operation consumes write capacity. */
export const readOperations = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

/**
 * Capacity units in a response's ConsumedCapacity (one object, or one per table for batch and
 * transaction operations); undefined when the response carries none.
 */
export function consumedCapacityUnits(consumed: unknown): number | undefined {
  const entries = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as {
    CapacityUnits?: number;
    ReadCapacityUnits?: number;
    WriteCapacityUnits?: number;
  }[];
  if (entries.length === 0) return undefined;
  return entries.reduce(
    (total, entry) => total + (entry.CapacityUnits ?? (entry.ReadCapacityUnits ?? 0) + (entry.WriteCapacityUnits ?? 0)),
    0,
  );
}

/** A global secondary index's key attributes: an item is in the (sparse) index when it carries both. */
export interface IndexKeys {
  partitionKey: string;
  sortKey: string;
  /** Projects keys only: its copy of an item is one small entry, 1 WCU, whatever the item's size. */
  keysOnly?: boolean;
}

/** The attribute names an update expression's SET clause and REMOVE clause name (through `#placeholders` or plainly). */
function clauseNames(expression: string, placeholders: Record<string, string>) {
  const names = (clause: string) =>
    new Set(
      clause
        .split(',')
        .map((part) => part.split('=')[0]?.trim() ?? '')
        .filter(Boolean)
        .map((name) => placeholders[name] ?? name),
    );
  const remove = /\bREMOVE\b([\s\S]*)$/.exec(expression)?.[1] ?? '';
  const set = /\bSET\b([\s\S]*?)(?:\bREMOVE\b|$)/.exec(expression)?.[1] ?? '';
  return { set: names(set), remove: names(remove) };
}

/**
 * Write units of one TransactWriteItems request by the documented rules, for when DynamoDB Local's
 * own figure cannot be trusted: each Put costs 2 WCU per started KB of the item (transactional),
 * plus, for each index whose keys it carries, 1 WCU per started KB (as if the index held the whole
 * item; 1 for a keys-only index). An Update counts its key and the values it sets as the item's
 * size (the attributes it leaves alone are not in the request); for each index whose keys it sets,
 * 2 WCU (a key that moved is a delete and a put in the index; an unchanged key with changed
 * projected attributes costs 1 on AWS, so this leans high), and 1 WCU for each index whose keys
 * it removes (the item leaves it). Deletes and condition checks count as a 1 KB item.
 */
export function transactWriteUnits(
  transactItems: readonly Record<string, unknown>[],
  indexes: readonly IndexKeys[],
): number {
  let units = 0;
  for (const entry of transactItems) {
    const put = entry.Put as { Item?: Record<string, AttributeValue> } | undefined;
    const update = entry.Update as
      | {
          Key?: Record<string, AttributeValue>;
          UpdateExpression?: string;
          ExpressionAttributeValues?: Record<string, AttributeValue>;
          ExpressionAttributeNames?: Record<string, string>;
        }
      | undefined;
    if (put?.Item) {
      const kilobytes = Math.max(1, Math.ceil(itemSize(put.Item) / 1024));
      units += 2 * kilobytes;
      for (const index of indexes)
        if (put.Item[index.partitionKey] && put.Item[index.sortKey]) units += index.keysOnly ? 1 : kilobytes;
    } else if (update?.Key) {
      units += 2 * Math.max(1, Math.ceil(itemSize({ ...update.Key, ...update.ExpressionAttributeValues }) / 1024));
      const { set, remove } = clauseNames(update.UpdateExpression ?? '', update.ExpressionAttributeNames ?? {});
      for (const index of indexes) {
        if (set.has(index.partitionKey) && set.has(index.sortKey)) units += 2;
        else if (remove.has(index.partitionKey) || remove.has(index.sortKey)) units += 1;
      }
    } else {
      units += 2;
    }
  }
  return units;
}
