/**
 * Webhooks on one machine: what the Lambda event source mapping on the table stream, the SQS
 * queue and the every-minute sweep do on AWS. A poller reads the local table's stream and hands
 * each batch to the stream consumer (the same handler, with the same event shape, filtered to
 * inserted history events as the mapping's filter does); a timer of its own calls the delivery
 * worker with the scheduled event, so it sends whatever the due index says is due. Pending deliveries
 * live in the table, so they survive a restart; the stream is read from its oldest record at
 * every start, which is safe because a delivery is created at most once per (endpoint, event).
 * The same batches also go to the throughput aggregator (`moreStreamConsumers`), which counts
 * each event at most once.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { isHistoryEventKey } from '../functions/applications/store/history-events.js';
import type { WorkerEvent } from '../functions/webhooks/events/delivery-worker.js';

export interface LocalWebhooksOptions {
  client: DynamoDBClient;
  endpoint: string;
  tableName: string;
  streamConsumer: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /**
   * Other consumers of the same stream records (on AWS each has its own event source mapping),
   * e.g. the throughput aggregator. Each batch goes to every consumer; a batch is read again until
   * all of them succeeded, which is safe because each consumer is idempotent per event.
   */
  moreStreamConsumers?: ((event: DynamoDBStreamEvent) => Promise<unknown>)[];
  deliveryWorker: (event: WorkerEvent) => Promise<unknown>;
  /** How often the stream is read and the worker sweeps; the AWS sweep runs every minute, SQS wakes it sooner. */
  intervalMs: number;
}

interface ShardReader {
  iterator?: string;
  /** Last record handed on, to pick up again after an expired iterator. */
  lastSequence?: string;
  closed: boolean;
}

const log = (level: string, message: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ level, message, time: new Date().toISOString(), ...fields }));

export function startLocalWebhooks(options: LocalWebhooksOptions): {
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
} {
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint });
  const shards = new Map<string, ShardReader>();
  let streamArn: string | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  async function discoverShards(): Promise<void> {
    if (!streamArn) {
      const { Table } = await options.client.send(new DescribeTableCommand({ TableName: options.tableName }));
      streamArn = Table?.LatestStreamArn;
      if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);
    }
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || shards.has(shard.ShardId)) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      shards.set(shard.ShardId, { iterator: ShardIterator, closed: !ShardIterator });
    }
  }

  /** Reads one page of a shard; answers how many records it read (0: caught up, for now). */
  async function readShard(shardId: string, reader: ShardReader): Promise<number> {
    if (!reader.iterator) return 0;
    let answer: GetRecordsCommandOutput;
    try {
      answer = await streams.send(new GetRecordsCommand({ ShardIterator: reader.iterator, Limit: 1000 }));
    } catch (error) {
      if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) throw error;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(reader.lastSequence
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: reader.lastSequence }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      reader.iterator = ShardIterator;
      return 1;
    }
    const records = (answer.Records ?? []).filter(
      // The event source mapping's filter on AWS: inserted history events only.
      (record) => record.eventName === 'INSERT' && isHistoryEventKey(unmarshall(record.dynamodb?.Keys ?? {})),
    );
    if (records.length) {
      // The streams SDK's records and Lambda's stream event records are the same JSON, typed apart.
      const batch = { Records: records } as unknown as DynamoDBStreamEvent;
      await options.streamConsumer(batch);
      for (const consumer of options.moreStreamConsumers ?? []) await consumer(batch);
    }
    // Advance only after the consumer succeeded: a failed batch is read again, as Lambda retries it.
    const last = answer.Records?.at(-1)?.dynamodb?.SequenceNumber;
    if (last) reader.lastSequence = last;
    reader.iterator = answer.NextShardIterator;
    if (!reader.iterator) reader.closed = true;
    return answer.Records?.length ?? 0;
  }

  /** Most pages read per shard in one tick: enough to keep up with a busy table, bounded so the sweep still runs. */
  const pagesPerTick = 20;

  /** Reads the stream (as far as it goes, within bounds); answers how many records it read. */
  async function tick(): Promise<number> {
    let read = 0;
    try {
      await discoverShards();
      for (const [shardId, reader] of shards) {
        for (let page = 0; page < pagesPerTick && !reader.closed; page++) {
          const records = await readShard(shardId, reader);
          read += records;
          if (records === 0) break;
        }
      }
    } catch (error) {
      read += 1; // not caught up: try again
      log('error', 'reading the table stream failed; trying again', { error: String(error) });
    }
    return read;
  }

  /**
   * The worker's sweep runs on its own timer, as on AWS it is its own function: a long stream
   * batch (a burst of changes) must not hold back the sending of deliveries already created.
   */
  async function sweep(): Promise<void> {
    try {
      await options.deliveryWorker({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
    } catch (error) {
      log('error', 'the webhook delivery sweep failed; trying again', { error: String(error) });
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .then(() => undefined)
        .finally(schedule);
    }, options.intervalMs);
  };
  running = tick()
    .then(() => undefined)
    .finally(schedule);
  let sweeping: Promise<void> = Promise.resolve();
  let sweepTimer: NodeJS.Timeout | undefined;
  const scheduleSweep = () => {
    if (stopped) return;
    sweepTimer = setTimeout(() => {
      sweeping = sweep().finally(scheduleSweep);
    }, options.intervalMs);
  };
  sweeping = sweep().finally(scheduleSweep);

  return {
    /**
     * Waits until every record written so far has been handed to the consumers (a tick that
     * finds nothing new): the benchmark counts the consumers' work with the workload's.
     */
    async caughtUp(): Promise<void> {
      for (;;) {
        await running;
        const pass = running.then(tick);
        running = pass.then(() => undefined);
        if ((await pass) === 0) return;
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(sweepTimer);
      // A send under way finishes and is recorded, so it is not sent again after a restart.
      await Promise.all([running, sweeping]);
      streams.destroy();
    },
  };
}
