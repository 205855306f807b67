/**
 * Notices: what a person or a community is told in their inbox that is not waiting for a decision
 * (today one kind, `grant-suspended`). One item per recipient and notice under `NOTICES#<recipient>`,
 * the recipient a community (`UNIT#<id>`: every staff member of it sees it) or a person
 * (`STAFF#<sub>`: the approver who granted the grant). A notice shows until its recipient
 * acknowledges it (deleted) or for `noticeDays` (its TTL; read past that it is skipped, since
 * DynamoDB deletes expired items only eventually and DynamoDB Local never).
 */
import { DeleteItemCommand, QueryCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { programmeIds } from '../../kernel/domain/programmes.js';
import { verificationCheckIds } from '../../kernel/domain/verification-policy.js';
import { fromItem, MalformedItemError, type TableContext, toItem } from '../../kernel/store/table.js';
import { recheckKeys } from './recheck-keys.js';

/** How long a notice shows when nobody acknowledges it. */
export const noticeDays = 30;

export const noticeSchema = z.object({
  id: z.string(),
  kind: z.literal('grant-suspended'),
  at: z.string(),
  applicationId: z.string(),
  programme: z.enum(programmeIds),
  communityId: z.string(),
  suspendedFrom: z.string(),
  /** The check that found it (its code): the figures are on the application's history and the ledger. */
  reason: z.enum(verificationCheckIds),
});
export type Notice = z.infer<typeof noticeSchema>;

export const recipientOfCommunity = (communityId: string) => `UNIT#${communityId}`;
export const recipientOfPerson = (sub: string) => `STAFF#${sub}`;

/** A notice's id: sorts by time, unique per application event, safe in a URL path. */
export const noticeIdOf = (at: string, applicationId: string, seq: number) =>
  `${at}_${applicationId}_${String(seq).padStart(6, '0')}`;

/** The put of a notice for one recipient (a transaction part): written once, with the event that caused it. */
export function noticePut(tableName: string, recipient: string, notice: Notice): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({
        ...recheckKeys.notice(recipient, notice.id),
        type: 'notice',
        ...notice,
        expiresAt: Math.floor(Date.parse(notice.at) / 1000) + noticeDays * 24 * 60 * 60,
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function noticeRepository({ client, tableName }: TableContext) {
  return {
    /** What the recipients are told now, newest first, at most `limit` of each. */
    async of(recipients: readonly string[], now: Date, limit = 50): Promise<Notice[]> {
      const pages = await Promise.all(
        recipients.map((recipient) =>
          client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk',
              FilterExpression: 'expiresAt > :now',
              ExpressionAttributeValues: toItem({
                ':pk': recheckKeys.notice(recipient, '').pk,
                ':now': Math.floor(now.getTime() / 1000),
              }),
              ScanIndexForward: false,
              Limit: limit,
            }),
          ),
        ),
      );
      return pages
        .flatMap((page) => page.Items ?? [])
        .map((raw) => {
          const parsed = z.safeParse(noticeSchema, fromItem(raw));
          if (!parsed.success) throw new MalformedItemError(`notice ${String(raw.sk?.S)}`, parsed.error);
          return parsed.data;
        })
        .sort((a, b) => b.id.localeCompare(a.id));
    },

    /** Takes a notice off one recipient's inbox; taking off one already gone is no error (a retried request). */
    /** Takes the notice off the recipient's inbox; false when it was not there (already taken off, or never theirs). */
    async acknowledge(recipient: string, noticeId: string): Promise<boolean> {
      const { Attributes } = await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: toItem(recheckKeys.notice(recipient, noticeId)),
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes !== undefined;
    },
  };
}
export type NoticeRepository = ReturnType<typeof noticeRepository>;
