import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applicantSchema,
  creditCodeCheckChar,
  keptApplicant,
  programmeDescriptions,
  programmeIds,
  submissionSchema,
} from '../../../functions/kernel/domain/programmes.js';
import { contractBody, contractFiles } from '../../../tools/support/fixtures.js';

const fieldsOf = (value: unknown) => {
  const parsed = submissionSchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
};

describe('programme application bodies', () => {
  it.each(contractFiles)('accepts the contract body %s exactly as it is', (name) => {
    expect(submissionSchema.safeParse(contractBody(name)).success).toBe(true);
  });

  it('keeps the fixture copies identical to shared/contract when it is beside the repository', () => {
    const shared = join(process.cwd(), '..', 'shared', 'contract');
    for (const name of contractFiles) {
      const original = join(shared, `${name}.json`);
      if (!existsSync(original)) continue;
      expect(contractBody(name)).toEqual(JSON.parse(readFileSync(original, 'utf8')));
    }
  });

  it('names the field when a resident ID has a wrong check digit', () => {
    const body = contractBody('flexible-employment');
    body.applicant.idNumber = '130105198005120241';
    expect(fieldsOf(body)).toEqual(['applicant.idNumber']);
  });

  it('refuses money that is not whole fen', () => {
    const body = contractBody('post-subsidy');
    body.details.monthlyAmount = 500.5;
    expect(fieldsOf(body)).toEqual(['details.monthlyAmount']);
  });

  it('refuses an unknown programme and a community id that is not a community', () => {
    expect(fieldsOf({ ...contractBody('post-subsidy'), programme: 'free-money' })).toEqual(['programme']);
    expect(fieldsOf({ ...contractBody('post-subsidy'), communityId: 'street:gexin' })).toEqual(['communityId']);
  });

  it('refuses a labour contract that ends before it starts', () => {
    const body = contractBody('public-welfare-post');
    body.details.contract.end = '2025-01-01';
    expect(fieldsOf(body)).toEqual(['details.contract.end']);
  });
});

describe('unified social credit codes and applicant facts', () => {
  it('accepts the contract credit codes and refuses a wrong check character, naming the field', () => {
    expect(creditCodeCheckChar('91130100MA0ABCDE1')).toBe('0');
    const body = contractBody('post-subsidy');
    body.details.employer.creditCode = '91130100MA0ABCDE11';
    expect(fieldsOf(body)).toEqual(['details.employer.creditCode']);
  });

  it('refuses any single-character change of a credit code', () => {
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const code = '91130100MA0ABCDE10';
    for (let position = 0; position < 18; position++) {
      for (const replacement of chars) {
        if (replacement === code[position]) continue;
        const body = contractBody('post-subsidy');
        body.details.employer.creditCode = code.slice(0, position) + replacement + code.slice(position + 1);
        expect(fieldsOf(body)).toEqual(['details.employer.creditCode']);
      }
    }
  });

  it('accepts an optional birth date, sex and household that agree with the resident ID', () => {
    const body = contractBody('flexible-employment');
    body.applicant = {
      ...body.applicant,
      birthDate: '1980-05-12',
      sex: 'female',
      household: { kind: 'urban', registeredIn: '石家庄市新华区' },
    };
    expect(fieldsOf(body)).toEqual([]);
    body.applicant.sex = 'male';
    expect(fieldsOf(body)).toEqual(['applicant.sex']);
  });

  it('keeps only a masked resident ID and, apart, the facts it encodes', () => {
    const body = contractBody('flexible-employment');
    const kept = keptApplicant(applicantSchema.parse({ ...body.applicant, birthDate: '1980-05-12', sex: 'female' }));
    expect(kept.applicant).toEqual({
      name: '王秀英',
      idNumber: '1301**************',
      phone: '13800000001',
      proof: body.applicant.proof,
    });
    expect(kept.applicantFacts).toEqual({ birthDate: '1980-05-12', sex: 'female' });
  });

  it('describes every programme in Chinese and English', () => {
    for (const id of programmeIds) {
      expect(programmeDescriptions[id].zh).toMatch(/\p{Script=Han}/u);
      expect(programmeDescriptions[id].en.length).toBeGreaterThan(20);
    }
  });
});
