/**
 * The data exchange's wire: `POST {baseUrl}/v1/query/{source}` with the question as JSON (only
 * what the source needs: the ID number and months, or the credit code and the person asked
 * about), answered with the source's JSON. The answers are those of `answerSchemas` but for one
 * field: the market-entity registry names each firm's legal representative by clear ID number.
 * That number is compared with the question's here and dropped, so no answer the product keeps,
 * logs or shows ever holds one.
 */
import * as z from 'zod/mini';
import type { EntityQuery, PersonQuery } from './exchange-queries.js';
import { type Answer, answerSchemas, type Question, type SourceName, sourceNames } from './sources.js';

/** The path a source is asked at, under the city's base URL. */
export const queryPath = (source: SourceName) => `/v1/query/${source}`;

/** The path records are added at (the local exchange's stand-in for the offices' own feeds). */
export const recordsPath = '/v1/records';

/** The source a query path names, or undefined. */
export function sourceOfPath(path: string): SourceName | undefined {
  const match = /^\/v1\/query\/([A-Za-z]+)$/.exec(path);
  return sourceNames.find((source) => source === match?.[1]);
}

/** The body sent for a question: only the fields the source needs. */
export function wireQuestion(question: Question): PersonQuery | EntityQuery {
  if (question.source === 'entities')
    return {
      ...(question.creditCode !== undefined ? { creditCode: question.creditCode } : {}),
      ...(question.legalRepresentativeIdNumber !== undefined
        ? { legalRepresentativeIdNumber: question.legalRepresentativeIdNumber }
        : {}),
    };
  return { idNumber: question.idNumber, ...(question.months ? { months: question.months } : {}) };
}

/**
 * What each source sends: the product's answers, but firms name their legal representative.
 * Built on first use, so a bundle that imports the module's face without asking the exchange
 * carries none of it (zod's builders are calls a bundler must keep).
 */
function buildWireAnswerSchemas() {
  // On the wire a firm names its legal representative; whether that is the person asked about is ours to work out.
  const entityOnWire = z.extend(
    z.omit(answerSchemas.entities.shape.entities.def.element, { legalRepresentativeIsPerson: true }),
    { legalRepresentativeIdNumber: z.optional(z.string().check(z.maxLength(32))) },
  );
  return {
    ...answerSchemas,
    entities: z.object({ asOf: answerSchemas.entities.shape.asOf, entities: z.array(entityOnWire) }),
  } as const;
}
let builtWireAnswerSchemas: ReturnType<typeof buildWireAnswerSchemas> | undefined;
export const wireAnswerSchemas = () => (builtWireAnswerSchemas ??= buildWireAnswerSchemas());
export type WireAnswerOf<S extends SourceName> = z.infer<ReturnType<typeof buildWireAnswerSchemas>[S]>;

export type ParsedAnswer<S extends SourceName> =
  | { ok: true; answer: Extract<Answer, { source: S }> }
  | { ok: false; problem: string };

/**
 * The answer to `question` from the JSON a source sent: validated (a shape that does not parse is
 * reported by field, never by value), and for firms with the legal representative's number
 * turned into whether it is the person asked about: only when the question named one, otherwise
 * nothing is kept of it.
 */
export function parseWireAnswer<Q extends Question>(question: Q, body: unknown): ParsedAnswer<Q['source']> {
  const parsed = z.safeParse(wireAnswerSchemas()[question.source], body);
  if (!parsed.success) return { ok: false, problem: fieldsOf(parsed.error.issues) };
  let answer: unknown = parsed.data;
  if (question.source === 'entities') {
    const asked = question.legalRepresentativeIdNumber;
    const wire = parsed.data as WireAnswerOf<'entities'>;
    answer = {
      asOf: wire.asOf,
      entities: wire.entities.map(({ legalRepresentativeIdNumber, ...entity }) =>
        asked !== undefined && legalRepresentativeIdNumber !== undefined
          ? { ...entity, legalRepresentativeIsPerson: legalRepresentativeIdNumber === asked }
          : entity,
      ),
    };
  }
  // The product's own schema has the last word on what an answer is (and strips what it does not know).
  const checked = z.safeParse(answerSchemas[question.source], answer);
  if (!checked.success) return { ok: false, problem: fieldsOf(checked.error.issues) };
  return { ok: true, answer: { source: question.source, ...checked.data } as Extract<Answer, { source: Q['source'] }> };
}

const fieldsOf = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
