/**
 * Webhooks on AWS. The table's stream is the outbox: a consumer turns each inserted history
 * event into deliveries and puts "deliver X" on a queue; the worker sends them, and puts a
 * failed one back with the retry's delay when it is at most 15 minutes (SQS's limit). Longer
 * backoffs, and anything a lost message left behind, are found by a sweep of the due index
 * every minute. A message the worker keeps failing on lands in the dead-letter queue; alarms
 * watch that queue's depth and the age of the oldest waiting message.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { webhookFunctions } from '../functions/webhooks/functions.js';
import { historyEventSource } from './application-table.js';
import { SubsidyFunction } from './subsidy-function.js';
import type { WebhookSecretKey } from './webhook-secret-key.js';

export interface WebhookNotificationsProps {
  table: dynamodb.ITable;
  secretKey: WebhookSecretKey;
}

/** The worker sends at most a few deliveries of 10 s each per message batch, and sweeps in parallel. */
const workerTimeout = Duration.seconds(60);

export class WebhookNotifications extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly streamConsumer: SubsidyFunction;
  readonly worker: SubsidyFunction;
  readonly secretKey: WebhookSecretKey;

  constructor(scope: Construct, id: string, props: WebhookNotificationsProps) {
    super(scope, id);
    this.secretKey = props.secretKey;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Deliveries', {
      // Lambda's advice for a queue it consumes: at least six times the function's timeout.
      visibilityTimeout: Duration.seconds(workerTimeout.toSeconds() * 6),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    this.streamConsumer = new SubsidyFunction(this, webhookFunctions.streamConsumer.name, {
      entry: webhookFunctions.streamConsumer.entry,
      timeout: Duration.seconds(30),
      description: 'Webhooks: turns each new history event into one delivery per endpoint that asked for it',
    });
    this.streamConsumer.bindTable(props.table, webhookFunctions.streamConsumer.table);
    this.bindQueue(this.streamConsumer);
    this.streamConsumer.readsStream(historyEventSource(props.table, this.deadLetterQueue));

    this.worker = new SubsidyFunction(this, webhookFunctions.deliveryWorker.name, {
      entry: webhookFunctions.deliveryWorker.entry,
      timeout: workerTimeout,
      description: 'Webhooks: signs and sends due deliveries, records each attempt, schedules retries',
    });
    this.worker.bindTable(props.table, webhookFunctions.deliveryWorker.table);
    props.secretKey.bindTo(this.worker);
    this.bindQueue(this.worker);
    this.worker.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    new events.Rule(this, 'Sweep', {
      description: 'Webhooks: every minute, send the deliveries the due index says are due',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.worker, { retryAttempts: 0 })],
    });

    new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: 'Webhook messages or stream batches failed repeatedly and wait in the dead-letter queue',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new cloudwatch.Alarm(this, 'OldestMessageAlarm', {
      // Delayed retries wait up to 15 minutes by design; twice that means the worker is not keeping up.
      alarmDescription: 'The webhook worker is not keeping up: a delivery message has waited more than 30 minutes',
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: Duration.minutes(30).toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** Lets a function put "deliver X" on the queue, and tells it where (WEBHOOK_QUEUE_URL). */
  bindQueue(fn: SubsidyFunction): void {
    this.queue.grantSendMessages(fn);
    fn.addEnvironment('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
  }
}
