/** The employment feed in the synthesized template: on the table stream, with its dead letters, holding only the keys it uses. */

import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, inject, it } from 'vitest';
import { employmentFunctions } from '../../functions/employment/functions.js';
import { tableDesign } from '../../functions/kernel/store/table-design.js';
import { entryMetadataKey } from '../../infra/subsidy-function.js';

const template = Template.fromJSON(inject('template'));
type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, unknown> };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const feedId = Object.entries(resources('AWS::Lambda::Function')).find(
  ([, fn]) => fn.Metadata?.[entryMetadataKey] === employmentFunctions.employmentFeed.entry,
)?.[0] as string;

describe('the employment feed on AWS', () => {
  it('takes inserted history events from the table stream, with retries and a dead-letter queue', () => {
    expect(feedId).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: feedId },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('is told the table, the history key and the resident-ID key, and nothing else secret', () => {
    const variables = resources('AWS::Lambda::Function')[feedId]?.Properties?.Environment?.Variables ?? {};
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'HISTORY_MAC_KMS_KEY_ID', 'RESIDENT_ID_KEY_SECRET_ARN']),
    );
    expect(variables.RESIDENT_ID_KMS_KEY_ID).toBeUndefined();
    expect(variables.WEBHOOK_SECRET_KEY).toBeUndefined();
  });

  it('creates the community-ledger index the ledger lists from', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: tableDesign.indexes.communityLedger.indexName }),
      ]),
    });
  });
});
