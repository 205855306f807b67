/** The product's single table, declared from the key design the store owns (`functions/kernel/store/table.ts`). */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { keys, tableDesign } from '../functions/kernel/store/table-design.js';

export class ApplicationTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableDesign.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDesign.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Applications, decisions and the benefit ledger are public records: never dropped with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      // History events are the webhook outbox; the notify consumer reads them from the stream.
      stream: dynamodb.StreamViewType[tableDesign.stream.viewType],
    });
    for (const index of Object.values(tableDesign.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        ...(index.projection === 'all'
          ? { projectionType: dynamodb.ProjectionType.ALL }
          : index.projection === 'keys'
            ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
            : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] }),
      });
    }
  }
}

/**
 * The table's new history events as a Lambda event source: every consumer of them (webhooks,
 * throughput counters) reads the stream this way. Each consumer is idempotent per event, so a
 * retried batch changes nothing twice; a poison record is isolated by halving the batch, and
 * what still fails goes to the consumer's dead-letter queue.
 */
export function historyEventSource(table: dynamodb.ITable, deadLetters: sqs.IQueue): DynamoEventSource {
  return new DynamoEventSource(table, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 100,
    bisectBatchOnError: true,
    retryAttempts: 10,
    onFailure: new SqsDlq(deadLetters),
    filters: [
      lambda.FilterCriteria.filter({
        eventName: lambda.FilterRule.isEqual('INSERT'),
        dynamodb: { Keys: { sk: { S: lambda.FilterRule.beginsWith(keys.applicationEventPrefix) } } },
      }),
    ],
  });
}
