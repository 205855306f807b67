/** Properties of resident ID validation (GB 11643): generated valid numbers pass, any one-character change fails, birth date and sex agree. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicantSchema } from '../../../functions/kernel/domain/programmes.js';
import {
  residentIdCheckChar,
  residentIdFacts,
  residentIdProblem,
} from '../../../functions/kernel/domain/resident-id.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** A person as a resident ID encodes them, and the number itself with a correct check character. */
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
    const first17 = `${region}${isoDay(birth).replaceAll('-', '')}${pad(sequence, 3)}`;
    return {
      id: first17 + residentIdCheckChar(first17),
      birthDate: isoDay(birth),
      sex: sequence % 2 === 0 ? ('female' as const) : ('male' as const),
    };
  });

const idChars = '0123456789X';
const applicant = (idNumber: string, extra: Record<string, unknown> = {}) => ({
  name: '王秀英',
  idNumber,
  phone: '13800000001',
  proof: { kind: 're-employment-certificate', number: 'JZ-1' },
  ...extra,
});

describe('resident ID validation, as properties', () => {
  it('accepts every number generated with a correct check character and reads its birth date and sex', () => {
    fc.assert(
      fc.property(residentIds, ({ id, birthDate, sex }) => {
        expect(residentIdProblem(id)).toBeUndefined();
        expect(residentIdFacts(id)).toEqual({ birthDate, sex });
      }),
    );
  });

  it('rejects any change of a single character', () => {
    fc.assert(
      fc.property(
        residentIds,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        ({ id }, position, shift) => {
          const original = id[position] as string;
          const replacement = idChars[(idChars.indexOf(original) + shift) % idChars.length] as string;
          const changed = id.slice(0, position) + replacement + id.slice(position + 1);
          expect(changed).not.toBe(id);
          expect(residentIdProblem(changed)).toBeDefined();
        },
      ),
    );
  });

  it('accepts an entered birth date and sex that agree with the number, and names the field that does not', () => {
    fc.assert(
      fc.property(residentIds, fc.integer({ min: 1, max: 20_000 }), ({ id, birthDate, sex }, daysOff) => {
        expect(applicantSchema.safeParse(applicant(id, { birthDate, sex })).success).toBe(true);
        const otherDate = isoDay(new Date(Date.parse(`${birthDate}T00:00:00Z`) + daysOff * 86_400_000));
        const otherSex = sex === 'female' ? 'male' : 'female';
        const parsed = applicantSchema.safeParse(applicant(id, { birthDate: otherDate, sex: otherSex }));
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['birthDate', 'sex']);
      }),
    );
  });
});
