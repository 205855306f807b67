/** Free text is screened before it is stored: no resident ID, mobile number or bank card number survives it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  maskedCardText,
  maskedIdText,
  maskedMobileText,
  notFormula,
  passesLuhn,
  screenFreeText,
  startsLikeFormula,
} from '../../../functions/kernel/domain/free-text.js';
import { detailsFreeText, detailsSchemas, screenDetails } from '../../../functions/kernel/domain/programmes.js';
import { residentIdCheckChar } from '../../../functions/kernel/domain/resident-id.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const residentIds = fc
  .record({
    region: fc.integer({ min: 110_000, max: 659_999 }),
    birth: fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2025-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, birth, sequence }) => {
    const first17 = `${region}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${pad(sequence, 3)}`;
    return first17 + residentIdCheckChar(first17);
  });

const mobiles = fc
  .tuple(fc.constantFrom('3', '4', '5', '6', '7', '8', '9'), fc.stringMatching(/^[0-9]{9}$/), fc.boolean())
  .map(([second, rest, grouped]) => {
    const n = `1${second}${rest}`;
    return grouped ? `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}` : n;
  });

/** A bank card number: 13 to 19 digits whose last is the Luhn check digit. */
const cards = fc.integer({ min: 12, max: 18 }).chain((length) =>
  fc.stringMatching(new RegExp(`^[1-9][0-9]{${length - 1}}$`)).map((body) => {
    const check = [...'0123456789'].find((d) => passesLuhn(body + d)) as string;
    return body + check;
  }),
);

/** Text around the numbers: Chinese, Latin, punctuation and spaces, but no digit (which would join the number). */
const prose = fc.string({
  unit: fc.constantFrom(...'申请人身份证号码电话银行卡请补充材料 abcXYZ:：，,.。-()（）'),
  maxLength: 30,
});

const digitsOf = (s: string) => s.replace(/[^0-9Xx]/g, '');

describe('screening free text', () => {
  it('masks a resident ID with a valid check character wherever it stands', () => {
    fc.assert(
      fc.property(prose, residentIds, prose, (before, id, after) => {
        const screened = screenFreeText(`${before}${id}${after}`);
        expect(screened).not.toContain(id);
        expect(digitsOf(screened)).not.toContain(id.slice(6, 14));
        expect(screened.startsWith(before)).toBe(true);
      }),
    );
  });

  it('masks a mobile number, written whole or in groups', () => {
    fc.assert(
      fc.property(prose, mobiles, prose, (before, mobile, after) => {
        const screened = screenFreeText(`${before}${mobile}${after}`);
        expect(digitsOf(screened)).not.toContain(digitsOf(mobile));
        expect(digitsOf(screened)).not.toContain(digitsOf(mobile).slice(3));
      }),
    );
  });

  it('masks a bank card number that passes Luhn, keeping its last four digits', () => {
    fc.assert(
      fc.property(prose, cards, fc.boolean(), prose, (before, card, grouped, after) => {
        const written = grouped ? (card.match(/.{1,4}/g) as string[]).join(' ') : card;
        const screened = screenFreeText(`${before}${written}${after}`);
        expect(digitsOf(screened)).not.toContain(card.slice(0, -4));
        expect(screened).toMatch(/已隐去/);
      }),
    );
  });

  it('leaves text without such numbers as it was, and screening twice changes nothing more', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const once = screenFreeText(text);
        expect(screenFreeText(once)).toBe(once);
      }),
    );
    fc.assert(
      fc.property(prose, (text) => {
        expect(screenFreeText(text)).toBe(text);
      }),
    );
    expect(screenFreeText('请补充 2026 年 3 月的劳动合同，文号 doc-0010，金额 1,200 元')).toBe(
      '请补充 2026 年 3 月的劳动合同，文号 doc-0010，金额 1,200 元',
    );
  });

  it('keeps an 18-digit number whose check character is wrong and is no card either', () => {
    const wrongCheck = '130105197003010117';
    expect(passesLuhn(wrongCheck)).toBe(false);
    expect(screenFreeText(`编号 ${wrongCheck}`)).toBe(`编号 ${wrongCheck}`);
  });

  it('says what it took out, in words', () => {
    expect(screenFreeText('申请人 130105197003010115，电话 138-1234-5678，卡号 6222 0212 3456 7899')).toMatch(
      /^申请人 \[身份证号已隐去\]，电话 \[手机号已隐去\]，卡号 /,
    );
  });
});

describe('free text in application details', () => {
  const creditCode = '91130100MA0CXXXX0X';
  const postSubsidy = (employerName: string, title: string) => ({
    employer: { name: employerName, creditCode },
    post: { title, startDate: '2026-09-01' },
    monthlyAmount: 100_000,
    period: { start: '2026-09', months: 12 },
  });

  it('screens the free-text fields of every programme and leaves identifiers, dates and amounts as they were', () => {
    fc.assert(
      fc.property(residentIds, mobiles, fc.string({ maxLength: 20 }), (id, mobile, words) => {
        const details = postSubsidy(`${words}联系人 ${mobile}`, `岗位 ${id}`);
        const screened = screenDetails('post-subsidy', details);
        expect(screened.employer.name).not.toContain(mobile);
        expect(screened.employer.name).toContain(maskedMobileText);
        expect(screened.post.title).toBe(`岗位 ${maskedIdText}`);
        expect(screened.employer.creditCode).toBe(creditCode);
        expect({ ...screened, employer: details.employer, post: details.post }).toEqual(details);
        // The input is not changed in place.
        expect(details.post.title).toBe(`岗位 ${id}`);
      }),
    );
  });

  it('screens the business name and bank of a microloan guarantee', () => {
    const screened = screenDetails('microloan-guarantee', {
      business: { name: '王记面馆 13912345678', type: 'individual' },
      bank: '工商银行 4111 1111 1111 1111',
      loanAmount: 10_000_000,
      termMonths: 24,
      jobsCreated: 2,
    });
    expect(screened.business.name).toBe(`王记面馆 ${maskedMobileText}`);
    expect(screened.bank).toBe(`工商银行 ${maskedCardText('1111')}`);
  });

  it('names only fields the programme schemas hold', () => {
    for (const [programme, paths] of Object.entries(detailsFreeText)) {
      const shape = (
        detailsSchemas[programme as keyof typeof detailsSchemas] as { def: { shape: Record<string, any> } }
      ).def.shape;
      for (const path of paths) {
        const field = path.reduce<any>((at, key) => at?.def?.shape?.[key] ?? at?.[key], { def: { shape } });
        expect(field, `${programme} ${path.join('.')}`).toBeDefined();
      }
    }
  });
});

describe('text a spreadsheet would run', () => {
  it('refuses text whose first non-blank character is =, and nothing else', () => {
    const field = z.string().check(notFormula());
    for (const text of ['=1+1', ' =HYPERLINK("x")', '\t=cmd']) {
      expect(startsLikeFormula(text)).toBe(true);
      expect(z.safeParse(field, text).error?.issues[0]?.message).toMatch(/must not start with =/);
    }
    for (const text of ['-5', '+86 办事处', '@街道', 'a=b', '幸福路7号'])
      expect(z.safeParse(field, text).success).toBe(true);
  });

  it('refuses it in every free-text field of an application’s details', () => {
    const parsed = z.safeParse(detailsSchemas['post-subsidy'], {
      employer: { name: '=HYPERLINK("http://x")', creditCode: '91130100MA0XXXXX0X' },
    });
    expect(parsed.error?.issues.some((i) => i.path.join('.') === 'employer.name' && /=/.test(i.message))).toBe(true);
  });
});
