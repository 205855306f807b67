/** Contract bodies for distinct people: a resident ID of each body's own (valid check digit), so no two are the same person's application. */
import { residentIdCheckChar } from '../../functions/kernel/domain/resident-id.js';
import { type ContractBody, contractBody } from './fixtures.js';

/**
 * The contract body `name` for person `n` (0–99) of community `communityId`. Only the ID's
 * sequence digits change: birth date, region and sex stay as the contract has them.
 */
export function bodyForPerson(name: ContractBody, communityId: string, n: number): Record<string, any> {
  const body = contractBody(name);
  const original = String(body.applicant.idNumber);
  const first17 = `${original.slice(0, 14)}${String(n % 100).padStart(2, '0')}${original[16]}`;
  body.applicant.idNumber = `${first17}${residentIdCheckChar(first17)}`;
  body.communityId = communityId;
  return body;
}
