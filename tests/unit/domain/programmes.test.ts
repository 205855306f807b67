import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { submissionSchema } from '../../../functions/domain/programmes.js';
import { contractBody, contractFiles } from '../../support/fixtures.js';

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
