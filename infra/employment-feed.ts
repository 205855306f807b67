/**
 * Subsidies feed the employment ledger on AWS: a consumer of the table's stream (like the
 * throughput aggregator, with its own dead-letter queue) that records each final approval on the
 * person's ledger entry. It MACs the ledger events it writes and opens the sealed birth facts of
 * a person it registers on the spot, so it holds the history key (write) and the resident-ID key.
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { metricsFunctions } from '../functions/metrics/functions.js';
import { historyEventSource } from './application-table.js';
import type { HistoryMacKey } from './history-mac-key.js';
import type { ResidentIdKey } from './resident-id-key.js';
import { SubsidyFunction } from './subsidy-function.js';

export interface EmploymentFeedProps {
  table: dynamodb.ITable;
  historyMac: HistoryMacKey;
  residentIdKey: ResidentIdKey;
}

export class EmploymentFeed extends Construct {
  readonly feed: SubsidyFunction;
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: EmploymentFeedProps) {
    super(scope, id);
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.feed = new SubsidyFunction(this, metricsFunctions.employmentFeed.name, {
      entry: metricsFunctions.employmentFeed.entry,
      timeout: Duration.seconds(60),
      description: "Employment ledger: records each final approval on the person's ledger entry, once",
    });
    this.feed.bindTable(props.table, 'read-write');
    props.historyMac.bindTo(this.feed, 'write');
    props.residentIdKey.bindTo(this.feed);
    this.feed.addEventSource(historyEventSource(props.table, this.deadLetters));
  }
}
