/**
 * The records the local exchange starts with: made-up, consistent with the demo city. The four
 * applicants of tests/fixtures/contract pass every check of the demo policy (王秀英 pays her own
 * contributions as flexibly employed; 李建国's are paid by the community service centre that
 * employs him, an active enterprise; 张伟 is the legal representative of his active breakfast
 * shop). A few made-up people and firms do not, one per check, for trying the checks out:
 * see `demoMismatches`. None of them is in the demo ledger (its people are 130102… born
 * 1972–2000; these are 130105…), so the ledger's scorecards are not disturbed.
 */
import { emptyRecordSet, mergeRecords, type RecordSet, type Records } from './exchange-records.js';

/** The people and firms that mismatch a check, by what they are for (the README's walk-through uses them). */
export const demoMismatches = {
  /** 赵淑珍, 50: draws a pension (early retirement) — flagged at intake of a flexible-employment subsidy. */
  drawingPension: '130105197606180025',
  /** 孙德明, died 2026-10-03 — refused at intake. */
  deceased: '130105197209250034',
  /** 钱丽华: in community correction since 2026-03. */
  imprisoned: '130105197406110049',
  /** 吴海燕: on the public payroll (财政供养) since 2015. */
  publicPayroll: '130105198102030060',
  /** 郑晓红: drew unemployment-insurance benefit 2026-06 to 2026-11. */
  unemploymentBenefit: '130105197807140089',
  /** 冯雪梅: a flexible-employment subsidy in 保定 from 2026-03 for 12 months. */
  grantElsewhere: '130105198009260021',
  /** 陈玉兰: her contributions are paid by an employer (she says she is flexibly employed). */
  otherEmployer: '130105198311050041',
  /** 周建华: legal representative of a deregistered individual business. */
  deregisteredFirmOwner: '130105197903120053',
  /** 褚国强: legal representative of an active individual business. */
  individualBusinessOwner: '13010519710827001X',
  /** A deregistered individual business (周建华's), for a microloan refused at intake. */
  deregisteredBusiness: '92130105MA0DEREG1R',
  /** A deregistered enterprise, for a post subsidy refused at intake. */
  deregisteredEnterprise: '91130100MA0DRGL8AE',
} as const;

const contract = {
  flexible: '130105198005120240',
  employed: '130105197003010115',
  microloan: '130102199007070350',
  employer: '91130100MA0ABCDE10',
  breakfastShop: '92130102MA0XYW1237',
};
const otherEmployerCode = '91130102MA0YGQ4K23';
const activeShopCode = '92130105MA0XKT35KY';

/** The months from `from` to `to`, both included. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let at = from; at <= to; ) {
    months.push(at);
    month++;
    if (month > 12) [year, month] = [year + 1, 1];
    at = `${year}-${String(month).padStart(2, '0')}`;
  }
  return months;
}

const monthBefore = (month: string, count: number) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) - count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/** The seed as of `today` (YYYY-MM-DD): contributions run through the past year up to this month. */
export function demoRecords(today: string): Records {
  const thisMonth = today.slice(0, 7);
  const lastYear = monthsBetween(monthBefore(thisMonth, 12), thisMonth);
  const flexibly = (idNumber: string, baseFen: number) =>
    lastYear.map((month) => ({ idNumber, month, baseFen, paid: true }));
  return {
    contributions: [
      ...flexibly(contract.flexible, 408_400),
      // Employed at the community service centre from 2026-02 (the post's start).
      ...lastYear
        .filter((month) => month >= '2026-02')
        .map((month) => ({
          idNumber: contract.employed,
          month,
          employerCreditCode: contract.employer,
          baseFen: 450_000,
          paid: true,
        })),
      ...flexibly(demoMismatches.drawingPension, 380_000),
      ...flexibly(demoMismatches.individualBusinessOwner, 420_000),
      ...lastYear.map((month) => ({
        idNumber: demoMismatches.otherEmployer,
        month,
        employerCreditCode: otherEmployerCode,
        baseFen: 520_000,
        paid: true,
      })),
    ],
    entities: [
      { creditCode: contract.employer, name: '革新街社区服务中心', kind: 'enterprise', status: 'active' },
      {
        creditCode: contract.breakfastShop,
        name: '张伟早餐店',
        kind: 'individual-business',
        status: 'active',
        legalRepresentativeIdNumber: contract.microloan,
      },
      { creditCode: otherEmployerCode, name: '石家庄市长安区顺达物流有限公司', kind: 'enterprise', status: 'active' },
      {
        creditCode: activeShopCode,
        name: '新华区国强五金店',
        kind: 'individual-business',
        status: 'active',
        legalRepresentativeIdNumber: demoMismatches.individualBusinessOwner,
      },
      {
        creditCode: demoMismatches.deregisteredBusiness,
        name: '新华区建华修车铺',
        kind: 'individual-business',
        status: 'deregistered',
        deregisteredOn: '2025-11-30',
        legalRepresentativeIdNumber: demoMismatches.deregisteredFirmOwner,
      },
      {
        creditCode: demoMismatches.deregisteredEnterprise,
        name: '石家庄市恒达商贸有限公司',
        kind: 'enterprise',
        status: 'deregistered',
        deregisteredOn: '2026-08-31',
      },
    ],
    deaths: [{ idNumber: demoMismatches.deceased, on: '2026-10-03' }],
    imprisonments: [{ idNumber: demoMismatches.imprisoned, from: '2026-03-01' }],
    pensions: [{ idNumber: demoMismatches.drawingPension, from: '2025-01' }],
    unemploymentBenefits: [{ idNumber: demoMismatches.unemploymentBenefit, from: '2026-06-01', to: '2026-11-30' }],
    publicPayroll: [{ idNumber: demoMismatches.publicPayroll, from: '2015-09-01' }],
    grantsElsewhere: [
      {
        idNumber: demoMismatches.grantElsewhere,
        cityId: 'city:baoding',
        programme: 'social-insurance/flexible-employment',
        start: '2026-03',
        months: 12,
      },
    ],
  };
}

/** The record set a fresh local exchange starts with, dated today. */
export function seededRecordSet(today: string): RecordSet {
  return mergeRecords(emptyRecordSet(today), demoRecords(today), today).set;
}
