/**
 * What the bench measures on the side of the running stack: the DynamoDB capacity every call of
 * the handlers' shared client consumes, and the bytes the handlers log. Importing this module
 * starts watching stdout and stderr (only while `logs.capturing` are they counted and held back).
 */
import { tableDesign, tableFromEnvironment } from '../functions/kernel/store/table.js';
import { consumedCapacityUnits, readOperations, transactWriteUnits } from './model.js';

// ── DynamoDB consumed capacity, on the handlers' shared client ─────────────────────────────────
const capacityOperations = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);
export interface CapacityTally {
  readUnits: number;
  writeUnits: number;
  /** Of `writeUnits`: what the transactions' writes to the deadline-due index cost, by the documented rules. */
  deadlineIndexWriteUnits: number;
  /** Per operation: calls, calls whose answer carried ConsumedCapacity, units, failures (which carry none). */
  byOperation: Record<
    string,
    {
      calls: number;
      reported: number;
      units: number;
      failed: number;
      errors: Record<string, number>;
      computedUnits?: number;
      countedUnits?: number;
    }
  >;
}
export const capacity: CapacityTally = { readUnits: 0, writeUnits: 0, deadlineIndexWriteUnits: 0, byOperation: {} };
export function resetCapacity() {
  capacity.readUnits = 0;
  capacity.writeUnits = 0;
  capacity.deadlineIndexWriteUnits = 0;
  capacity.byOperation = {};
}
const indexKeys = Object.values(tableDesign.indexes).map(({ partitionKey, sortKey, projection }) => ({
  partitionKey,
  sortKey,
  keysOnly: projection === 'keys',
}));
const { deadlineDue } = tableDesign.indexes;
const withoutDeadlineIndex = indexKeys.filter((index) => index.partitionKey !== deadlineDue.partitionKey);
export function instrumentSharedClient(): void {
  const { client } = tableFromEnvironment();
  client.middlewareStack.add(
    (next, context) => async (input) => {
      const operation = context.commandName ?? '?';
      if (!capacityOperations.has(operation)) return next(input);
      (input.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      capacity.byOperation[operation] ??= { calls: 0, reported: 0, units: 0, failed: 0, errors: {} };
      const tally = capacity.byOperation[operation];
      tally.calls++;
      try {
        const result = await next(input);
        const units = consumedCapacityUnits((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        if (units !== undefined) {
          tally.reported++;
          tally.units += units;
        }
        if (operation === 'TransactWriteItemsCommand') {
          // DynamoDB Local under-reports some transactions (3 new 500 B items: it says 2 units, the rules say 6), and the
          // computed figure is a lower bound (old images unknown): each call counts the larger of the two.
          const items = (input.input as { TransactItems?: Record<string, unknown>[] }).TransactItems ?? [];
          const computed = transactWriteUnits(items, indexKeys);
          capacity.deadlineIndexWriteUnits += computed - transactWriteUnits(items, withoutDeadlineIndex);
          const counted = Math.max(computed, units ?? 0);
          tally.computedUnits = (tally.computedUnits ?? 0) + computed;
          tally.countedUnits = (tally.countedUnits ?? 0) + counted;
          capacity.writeUnits += counted;
        } else if (units !== undefined) {
          if (readOperations.has(operation)) capacity.readUnits += units;
          else capacity.writeUnits += units;
        }
        return result;
      } catch (error) {
        tally.failed++;
        const name = (error as { name?: string }).name ?? 'Error';
        tally.errors[name] = (tally.errors[name] ?? 0) + 1;
        throw error;
      }
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
}

// ── log bytes: what the handlers write while the workload runs ──────────────────────────────────
/** Bytes written to stdout and stderr while `logs.capturing`: the handlers' log lines (they are not printed meanwhile). */
export const logs = { bytes: 0, capturing: false };
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  (stream as unknown as { write: (...a: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
    if (!logs.capturing) return write(chunk, ...rest);
    logs.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
    const callback = rest.find((value) => typeof value === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
}
