/**
 * The data-exchange port answered from imported snapshot files: for the city and the question's
 * source, the snapshot whose as-of date is current, read under the question's subject (the person's
 * keyed hash, the firm's credit code, or the keyed hash of the person asked about as a legal
 * representative). A source never imported for the city cannot answer (`not-configured`); every
 * answer is validated against the port's schemas, like any adapter's.
 */
import { residentIdKey } from '../../kernel/domain/resident-id-key.js';
import type { TableContext } from '../../kernel/store/table.js';
import { entitiesAnswer, personAnswer } from '../domain/snapshot-answers.js';
import { type StoredEntity, snapshotSubjects } from '../domain/snapshot-records.js';
import {
  type Answer,
  answerSchemas,
  type DataExchange,
  type EntityQuestion,
  type PersonQuestion,
  type Question,
  SourceUnavailableError,
} from '../domain/sources.js';
import { type SnapshotRepository, snapshotRepository } from './snapshots.js';

export interface SnapshotExchangeDependencies {
  /** The table, or the repository over it (tests wrap it). */
  table?: TableContext;
  snapshots?: Pick<SnapshotRepository, 'currentAsOf' | 'recordsOf'>;
  /** The key of the keyed hash of resident IDs (Secrets Manager's `residentIdKey`). */
  residentIdSecret: string;
}

/** A `DataExchange` over the snapshots imported into the table. */
export function snapshotDataExchange(deps: SnapshotExchangeDependencies): DataExchange {
  const snapshots = deps.snapshots ?? (deps.table && snapshotRepository(deps.table));
  if (!snapshots) throw new Error('snapshotDataExchange needs the table or a snapshot repository');
  const keyOf = (idNumber: string) => residentIdKey(idNumber.trim().toUpperCase(), deps.residentIdSecret);

  async function entities(cityId: string, asOf: string, question: EntityQuestion) {
    const snapshot = { cityId, source: question.source, asOf };
    const askedKey = question.legalRepresentativeIdNumber ? keyOf(question.legalRepresentativeIdNumber) : undefined;
    const subject = question.creditCode
      ? snapshotSubjects.firm(question.creditCode.trim().toUpperCase())
      : askedKey && snapshotSubjects.representative(askedKey);
    const firms = subject ? ((await snapshots?.recordsOf(snapshot, subject)) as unknown as StoredEntity[]) : [];
    return entitiesAnswer(asOf, firms, askedKey);
  }

  async function person(cityId: string, asOf: string, question: PersonQuestion) {
    const snapshot = { cityId, source: question.source, asOf };
    const records = (await snapshots?.recordsOf(snapshot, snapshotSubjects.person(keyOf(question.idNumber)))) ?? [];
    return personAnswer(question, asOf, records);
  }

  return {
    async ask<Q extends Question>(cityId: string, question: Q) {
      const { source } = question;
      const asOf = await snapshots.currentAsOf(cityId, source);
      if (!asOf) throw new SourceUnavailableError(source, 'not-configured', `no snapshot imported for ${cityId}`);
      const unchecked =
        question.source === 'entities'
          ? await entities(cityId, asOf, question as EntityQuestion)
          : await person(cityId, asOf, question as PersonQuestion);
      const parsed = answerSchemas[source].safeParse(unchecked);
      if (!parsed.success)
        throw new SourceUnavailableError(source, 'invalid-answer', parsed.error.issues[0]?.message ?? 'malformed');
      return { source, ...parsed.data } as Extract<Answer, { source: Q['source'] }>;
    },
  };
}
