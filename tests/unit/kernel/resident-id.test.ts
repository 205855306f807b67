import { describe, expect, it } from 'vitest';
import {
  maskResidentId,
  residentIdCheckChar,
  residentIdFacts,
  residentIdProblem,
} from '../../../functions/kernel/domain/resident-id.js';
import { residentIdKey } from '../../../functions/kernel/domain/resident-id-key.js';

describe('resident ID numbers', () => {
  it('accepts the contract people and reads their birth dates and sex', () => {
    expect(residentIdProblem('130105198005120240')).toBeUndefined();
    expect(residentIdFacts('130105198005120240')).toEqual({ birthDate: '1980-05-12', sex: 'female' });
    expect(residentIdFacts('130105197003010115')).toEqual({ birthDate: '1970-03-01', sex: 'male' });
    expect(residentIdFacts('130102199007070350')).toEqual({ birthDate: '1990-07-07', sex: 'male' });
  });

  it('refuses a wrong check digit, a wrong length and an impossible birth date', () => {
    expect(residentIdProblem('130105198005120241')).toMatch(/check digit/);
    expect(residentIdProblem('13010519800512024')).toMatch(/18 characters/);
    const feb30 = '13010519800230024';
    expect(residentIdProblem(feb30 + residentIdCheckChar(feb30))).toMatch(/birth date/);
  });

  it('computes X as a check character where the sum calls for it', () => {
    const first17 = Array.from({ length: 100_000 }, (_, i) =>
      `1101011990${String(i).padStart(7, '0')}`.slice(0, 17),
    ).find((candidate) => residentIdCheckChar(candidate) === 'X');
    expect(first17).toBeDefined();
  });

  it('masks all but the first four characters (the city)', () => {
    expect(maskResidentId('130105198005120240')).toBe('1301**************');
  });

  it('keys the same number the same way under one secret and differently under another', () => {
    const secret = 'a'.repeat(32);
    expect(residentIdKey('130105198005120240', secret)).toBe(residentIdKey('130105198005120240', secret));
    expect(residentIdKey('130105198005120240', secret)).not.toBe(residentIdKey('130105198005120240', 'b'.repeat(32)));
    expect(residentIdKey('130105198005120240', secret)).not.toContain('130105');
  });
});
