/**
 * What a re-check writes on an application: its checks' new results, only if nobody changed the
 * application since it was read (a decision, a withdrawal); and the sealed resident ID the
 * re-check opens to ask its questions.
 */
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ApplicationVerification } from '../../kernel/domain/verification-results.js';
import { conditionally } from '../../kernel/store/conditional-write.js';
import { fromItem, keys, type TableContext, toItem } from '../../kernel/store/table.js';
import type { Application } from '../domain/lifecycle.js';

export function verificationRecords({ client, tableName }: TableContext) {
  return {
    /** The sealed copy of the applicant's resident ID (ciphertext), as the last intake naming them stored it. */
    async sealedIdNumberOf(application: Pick<Application, 'cityId' | 'applicantKey'>): Promise<string | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem(keys.personIdentity(application.cityId, application.applicantKey)),
        }),
      );
      const sealed = Item ? fromItem(Item).sealedIdNumber : undefined;
      return typeof sealed === 'string' ? sealed : undefined;
    },

    /**
     * Replaces the checks' results, keeping the version: fresher results that change nothing a
     * person decides on must not turn an approver's open page stale. False when the application
     * moved on since it was read (the next re-run reads it again).
     */
    async recordResults(application: Pick<Application, 'id' | 'version'>, verification: ApplicationVerification) {
      return conditionally(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: toItem(keys.application(application.id)),
            UpdateExpression: 'SET verification = :verification',
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: toItem({ ':verification': verification, ':version': application.version }),
          }),
        ),
      );
    },
  };
}
export type VerificationRecords = ReturnType<typeof verificationRecords>;
