/**
 * The answer a snapshot gives, from the records stored under the question's subject in the snapshot
 * that answers (the newest as-of date imported for the city and source). A person with no record
 * gets the empty answer (no death, no periods, no records), dated by the snapshot: the snapshot
 * says nothing is held about them as of that day.
 */
import type { StoredEntity } from './snapshot-records.js';
import type { AnswerOf, PersonQuestion, SourceName } from './sources.js';

type Stored = Record<string, unknown>;
const byText = (field: string) => (a: Stored, b: Stored) => String(a[field]).localeCompare(String(b[field]));
const earliest = (records: Stored[], field: string) => records.map((r) => String(r[field])).sort()[0];

/** A person source's answer (unvalidated: the adapter validates every answer against `answerSchemas`). */
export function personAnswer(
  question: PersonQuestion,
  asOf: string,
  records: Stored[],
): AnswerOf<Exclude<SourceName, 'entities'>> {
  switch (question.source) {
    case 'contributions': {
      const { months } = question;
      const inRange = records.filter(
        (r) => !months || (String(r.month) >= months.from && String(r.month) <= months.to),
      );
      return { asOf, records: inRange.sort(byText('month')) as AnswerOf<'contributions'>['records'] };
    }
    case 'deaths': {
      const on = earliest(records, 'on');
      return on ? { asOf, died: { on } } : { asOf };
    }
    case 'pensions': {
      const from = earliest(records, 'from');
      return from ? { asOf, from } : { asOf };
    }
    case 'grantsElsewhere':
      return { asOf, grants: records.sort(byText('start')) as AnswerOf<'grantsElsewhere'>['grants'] };
    default:
      return { asOf, periods: records.sort(byText('from')) as AnswerOf<'imprisonments'>['periods'] };
  }
}

/**
 * The firms answered: each without its representative's hash; when the question names a person,
 * whether that person (by the same keyed hash) is the firm's legal representative, absent when the
 * snapshot does not say who is.
 */
export function entitiesAnswer(asOf: string, firms: StoredEntity[], askedKey?: string): AnswerOf<'entities'> {
  return {
    asOf,
    entities: firms
      .sort((a, b) => a.creditCode.localeCompare(b.creditCode))
      .map(({ legalRepresentativeKey, ...firm }) => ({
        ...firm,
        ...(askedKey && legalRepresentativeKey
          ? { legalRepresentativeIsPerson: legalRepresentativeKey === askedKey }
          : {}),
      })),
  };
}
