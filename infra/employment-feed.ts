/**
 * Subsidies feed the employment ledger on AWS: a consumer of the table's stream (like the
 * throughput aggregator, with its own dead-letter queue) that records each final approval on the
 * person's ledger entry. It MACs the ledger events it writes and opens the sealed birth facts of
 * a person it registers on the spot, so it holds the history key (write) and the resident-ID key.
 */

import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { employmentFunctions } from '../functions/employment/functions.js';
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
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue (the employment feed's stream failures land here); a dead-letter queue of its own would only move the same messages one step further",
    });
    this.feed = new SubsidyFunction(this, employmentFunctions.employmentFeed.name, {
      entry: employmentFunctions.employmentFeed.entry,
      timeout: Duration.seconds(60),
      description: "Employment ledger: records each final approval on the person's ledger entry, once",
    });
    this.feed.bindTable(props.table, employmentFunctions.employmentFeed.table);
    props.historyMac.bindTo(this.feed, 'write');
    props.residentIdKey.bindTo(this.feed);
    this.feed.readsStream(historyEventSource(props.table, this.deadLetters));
  }
}
