/** Resident identity numbers (居民身份证号码, GB 11643-1999): check digit, encoded birth date and sex, masking. */

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (weights[i] as number);
  return checkChars[sum % 11] as string;
}

export interface ResidentIdFacts {
  birthDate: string;
  sex: 'female' | 'male';
}

/** Returns why the number is not a valid resident ID, or undefined when it is. */
export function residentIdProblem(value: string): string | undefined {
  if (!/^\d{17}[\dX]$/.test(value)) return 'must be 18 characters: 17 digits and a digit or X';
  if (residentIdCheckChar(value.slice(0, 17)) !== value[17]) return 'the check digit does not match';
  const facts = residentIdFacts(value);
  const date = new Date(`${facts.birthDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== facts.birthDate) {
    return 'the birth date it encodes does not exist';
  }
  return undefined;
}

export function residentIdFacts(value: string): ResidentIdFacts {
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  return { birthDate, sex: Number(value[16]) % 2 === 0 ? 'female' : 'male' };
}

/**
 * The masked copy kept and shown: the first four characters (the city) only. The 4 + 4 mask
 * service halls print gives away the sequence code and the check character; with a birth date
 * worked out from an age or a retirement figure, that left one number (see `privacy.ts`).
 */
export function maskResidentId(value: string): string {
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 4)}`;
}
