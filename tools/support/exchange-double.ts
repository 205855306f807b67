/**
 * The data exchange as tests and benches stand it in when what they test is not the exchange (the
 * real one, signed HTTP and all, is `local/exchange-service.ts`): every source answers from
 * records given here, as of one day; a source may be set down. People are matched by their clear
 * ID number, which never leaves the test.
 */
import { creditCodeCheckChar } from '../../functions/kernel/domain/programmes.js';
import {
  type Answer,
  type DataExchange,
  type Question,
  type SourceName,
  SourceUnavailableError,
} from '../../functions/verification/index.js';

type Period = { from: string; to?: string };
export interface ExchangeRecords {
  contributions?: { idNumber: string; month: string; employerCreditCode?: string; baseFen: number; paid: boolean }[];
  entities?: {
    creditCode: string;
    name: string;
    kind: 'enterprise' | 'individual-business';
    status: 'active' | 'deregistered';
    deregisteredOn?: string;
    legalRepresentativeIdNumber?: string;
  }[];
  deaths?: { idNumber: string; on: string }[];
  imprisonments?: ({ idNumber: string } & Period)[];
  pensions?: { idNumber: string; from: string }[];
  unemploymentBenefits?: ({ idNumber: string } & Period)[];
  publicPayroll?: ({ idNumber: string } & Period)[];
  grantsElsewhere?: { idNumber: string; cityId: string; programme: string; start: string; months: number }[];
}

export interface ExchangeDouble extends DataExchange {
  records: ExchangeRecords;
  asOf: string;
  down: Set<SourceName>;
  /** Questions asked, by source: what a test counts. */
  asked: Question[];
}

export function exchangeDouble(records: ExchangeRecords = {}, asOf = '2026-11-27'): ExchangeDouble {
  const double: ExchangeDouble = {
    records,
    asOf,
    down: new Set(),
    asked: [],
    async ask(_cityId, question) {
      double.asked.push(question);
      if (double.down.has(question.source)) throw new SourceUnavailableError(question.source, 'unreachable');
      const of = <T extends { idNumber: string }>(list: T[] | undefined) =>
        (list ?? []).filter((r) => 'idNumber' in question && r.idNumber === question.idNumber);
      const periods = (list: ({ idNumber: string } & Period)[] | undefined) =>
        of(list).map(({ from, to }) => (to ? { from, to } : { from }));
      const asOf = double.asOf;
      const answers: { [S in SourceName]: () => Answer } = {
        contributions: () => ({
          source: 'contributions',
          asOf,
          records: of(double.records.contributions).map(({ idNumber: _, ...r }) => r),
        }),
        entities: () => {
          const q = question as Extract<Question, { source: 'entities' }>;
          const found = (double.records.entities ?? []).filter((e) =>
            q.creditCode
              ? e.creditCode === q.creditCode
              : e.legalRepresentativeIdNumber === q.legalRepresentativeIdNumber,
          );
          return {
            source: 'entities',
            asOf,
            entities: found.map(({ legalRepresentativeIdNumber, ...e }) => ({
              ...e,
              ...(q.legalRepresentativeIdNumber
                ? { legalRepresentativeIsPerson: legalRepresentativeIdNumber === q.legalRepresentativeIdNumber }
                : {}),
            })),
          };
        },
        deaths: () => {
          const died = of(double.records.deaths)[0];
          return { source: 'deaths', asOf, ...(died ? { died: { on: died.on } } : {}) };
        },
        imprisonments: () => ({ source: 'imprisonments', asOf, periods: periods(double.records.imprisonments) }),
        pensions: () => {
          const pension = of(double.records.pensions)[0];
          return { source: 'pensions', asOf, ...(pension ? { from: pension.from } : {}) };
        },
        unemploymentBenefits: () => ({
          source: 'unemploymentBenefits',
          asOf,
          periods: periods(double.records.unemploymentBenefits),
        }),
        publicPayroll: () => ({ source: 'publicPayroll', asOf, periods: periods(double.records.publicPayroll) }),
        grantsElsewhere: () => ({
          source: 'grantsElsewhere',
          asOf,
          grants: of(double.records.grantsElsewhere).map(({ idNumber: _, ...g }) => g) as never,
        }),
      };
      return answers[question.source]() as never;
    },
  };
  return double;
}

/** The firms the contract bodies name, registered and active: what every source of the demo says of them. */
export const contractFirms: ExchangeRecords = {
  entities: [
    { creditCode: '91130100MA0ABCDE10', name: '革新街社区服务中心', kind: 'enterprise', status: 'active' },
    {
      creditCode: '92130102MA0XYW1237',
      name: '张伟早餐店',
      kind: 'individual-business',
      status: 'active',
      legalRepresentativeIdNumber: '130102199007070350',
    },
  ],
};

/**
 * A business of a microloan body's own (its applicant a person of a test's own, `asPerson`),
 * registered and active, its legal representative the applicant, and the body naming it: the
 * contract's business is 张伟's, and anyone else applying for it is, rightly, a suspicion. The
 * caller puts the entity in whichever exchange it asks (the double's records, the local exchange).
 */
export function ownBusiness<T extends Record<string, any>>(body: T, n: number) {
  const first17 = `92130102MA${String(n).padStart(7, '0')}`;
  const licenceNo = `${first17}${creditCodeCheckChar(first17)}`;
  const entity = {
    creditCode: licenceNo,
    name: `${body.applicant.name}的早餐店`,
    kind: 'individual-business' as const,
    status: 'active' as const,
    legalRepresentativeIdNumber: body.applicant.idNumber as string,
  };
  return {
    body: { ...body, details: { ...body.details, business: { ...body.details.business, licenceNo } } } as T,
    entity,
  };
}

/** The same, registered in the double. */
export function withOwnBusiness<T extends Record<string, any>>(exchange: ExchangeDouble, body: T, n: number): T {
  const own = ownBusiness(body, n);
  exchange.records.entities = [...(exchange.records.entities ?? []), own.entity];
  return own.body;
}
