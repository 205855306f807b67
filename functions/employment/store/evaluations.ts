/**
 * A city's annual evaluation of its communities: one item per (city, year). It may be computed
 * again while it waits for approval; a city approver approves it once (conditional on its status
 * and version, in the same transaction as the administration-log entry that audits it), and from
 * then on it is the published list and never changes.
 */

import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { AdminChangeConflictError, type AdminLogRepository } from '../../administration/index.js';
import { fromItem, keys, MalformedItemError, type TableContext, toItem } from '../../kernel/store/table.js';
import type { CommunityStanding, Evaluation } from '../domain/full-employment.js';

export type { Evaluation };

const evaluationSchema = z.object({
  cityId: z.string(),
  year: z.string(),
  status: z.enum(['computed', 'approved']),
  version: z.number(),
  asOf: z.string(),
  criteria: z.object({
    targetRate: z.number(),
    maxZeroEmploymentOpenDays: z.number(),
    ledgerUpdatedWithinDays: z.number(),
  }),
  // The standings are this product's own output, written just before; their shape is the domain's.
  standings: z.array(z.custom<CommunityStanding>((v) => typeof v === 'object' && v !== null)),
  computedAt: z.string(),
  computedBy: z.string(),
  approvedAt: z.optional(z.string()),
  approvedBy: z.optional(z.string()),
});

/** The evaluation is approved already (or moved on since it was read): 409. */
export class EvaluationClosedError extends Error {
  constructor(
    readonly year: string,
    readonly approvedBy?: string,
  ) {
    super(`the evaluation of ${year} is approved${approvedBy ? ` (by ${approvedBy})` : ''} and can no longer change`);
    this.name = 'EvaluationClosedError';
  }
}

export function evaluationRepository(table: TableContext) {
  const { client, tableName } = table;
  const repository = {
    async get(cityId: string, year: string): Promise<Evaluation | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: toItem(keys.evaluation(cityId, year)), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const parsed = z.safeParse(evaluationSchema, fromItem(Item));
      if (!parsed.success) throw new MalformedItemError(`evaluation ${cityId} ${year}`, parsed.error);
      return parsed.data as Evaluation;
    },

    /** Stores a (re)computed evaluation, refused once the year's is approved. */
    async putComputed(evaluation: Omit<Evaluation, 'status' | 'version'>): Promise<Evaluation> {
      const prior = await repository.get(evaluation.cityId, evaluation.year);
      if (prior?.status === 'approved') throw new EvaluationClosedError(evaluation.year, prior.approvedBy);
      const stored: Evaluation = { ...evaluation, status: 'computed', version: (prior?.version ?? 0) + 1 };
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({ ...keys.evaluation(evaluation.cityId, evaluation.year), type: 'evaluation', ...stored }),
            ConditionExpression: prior ? '#status = :computed AND version = :v' : 'attribute_not_exists(pk)',
            ExpressionAttributeNames: prior ? { '#status': 'status' } : undefined,
            ExpressionAttributeValues: prior ? toItem({ ':computed': 'computed', ':v': prior.version }) : undefined,
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new EvaluationClosedError(evaluation.year);
        throw error;
      }
      return stored;
    },

    /** Approves the computed version `version`, exactly once, audited in the city's administration log. */
    async approve(log: AdminLogRepository, cityId: string, year: string, version: number, by: string, at: string) {
      try {
        return await log.commit(cityId, async () => {
          const current = await repository.get(cityId, year);
          if (!current) return { entry: undefined, writes: [], result: undefined };
          if (current.status === 'approved' || current.version !== version)
            throw new EvaluationClosedError(year, current.approvedBy);
          const approved: Evaluation = { ...current, status: 'approved', approvedAt: at, approvedBy: by };
          return {
            entry: {
              at,
              by,
              action: 'evaluation.approve' as const,
              target: `evaluation:${year}`,
              before: { status: 'computed', version },
              after: {
                status: 'approved',
                fullEmploymentCommunities: current.standings.filter((s) => s.fullEmployment).map((s) => s.communityId),
              },
            },
            writes: [
              {
                Update: {
                  TableName: tableName,
                  Key: toItem(keys.evaluation(cityId, year)),
                  UpdateExpression: 'SET #status = :approved, approvedAt = :at, approvedBy = :by',
                  ConditionExpression: '#status = :computed AND version = :v',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: toItem({
                    ':approved': 'approved',
                    ':computed': 'computed',
                    ':v': version,
                    ':at': at,
                    ':by': by,
                  }),
                },
              },
            ],
            result: approved,
          };
        });
      } catch (error) {
        if (error instanceof AdminChangeConflictError) throw new EvaluationClosedError(year);
        throw error;
      }
    },
  };
  return repository;
}
export type EvaluationRepository = ReturnType<typeof evaluationRepository>;
