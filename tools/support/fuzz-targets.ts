/**
 * Things for the privacy probes of the bad-request generators to aim at, made through the API of a
 * running local stack: an application, a ledger entry and a webhook endpoint of the demo city
 * (Shijiazhuang), and a second city (`city:fuzzland`) whose administrator and staff aim at them. The
 * probes then check that another city's ids answer as ids that do not exist, that an out-of-scope
 * resubmission is refused before its body is judged, and that formula text is refused or
 * neutralised.
 */
import type { LocalStack } from '../../local/runtime.js';
import { asPerson, contractBody } from './fixtures.js';

/** Things of the demo city, and callers they must stay hidden from (made below). */
export interface FuzzTargets {
  /** Tokens of another city's administrator and staff. */
  foreignCallers: string[];
  foreign: { applicationId: string; applicationVersion: number; ledgerEntryId: string; webhookEndpointId: string };
  /** A token of the same city's staff of another community than the application's. */
  outOfScope: string;
  /** The token of the staff who took the application and the ledger entry in. */
  owner: string;
  /** The other city's administrator, whose units the CSV probe renames. */
  fuzzlandAdmin: string;
  /** A person of the demo city's ledger, and its administrator's token. */
  exportee: { idNumber: string; name: string; admin: string };
}

export const fuzzlandUnits = [
  { id: 'city:fuzzland', name: '模糊市', parent: null, level: 'city' },
  { id: 'district:fz', name: '模糊区', parent: 'city:fuzzland', level: 'district' },
  { id: 'street:fz', name: '模糊街道', parent: 'district:fz', level: 'street' },
  { id: 'community:fz-01', name: '模糊社区', parent: 'street:fz', level: 'community' },
] as const;

export async function fuzzTargets(stack: Pick<LocalStack, 'apiUrl' | 'tokenFor' | 'tokenOf'>): Promise<FuzzTargets> {
  const call = async (token: string, method: string, path: string, body: unknown) => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, any>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  // The second city: its administrator (bootstrapped as `npm run token` does), its units, one clerk.
  const fuzzlandAdmin = await stack.tokenFor({ sub: 'fz-admin', role: 'city-admin', unit: 'city:fuzzland' });
  await call(fuzzlandAdmin, 'PUT', '/units', { units: fuzzlandUnits });
  await call(fuzzlandAdmin, 'PUT', '/staff/fz-staff', {
    name: '模糊',
    assignments: [{ role: 'community-staff', unit: 'community:fz-01', from: '2026-01-01' }],
  });
  const fuzzlandStaff = await stack.tokenOf('fz-staff');

  // The demo city's things, taken in by the staff of 革新街第02社区.
  const owner = await stack.tokenOf('staff-gexin-02');
  const application = await call(owner, 'POST', '/applications', asPerson(contractBody('post-subsidy'), 9301));
  const endpoint = await call(owner, 'POST', '/webhook-endpoints', {
    url: 'http://127.0.0.1:9/hook',
    events: ['application.approved'],
    applicationId: application.id,
  });
  const person = { idNumber: asPerson(contractBody('microloan-guarantee'), 9302).applicant.idNumber, name: '宋佳佳' };
  const entry = await call(owner, 'POST', '/ledger/entries', {
    ...person,
    registeredOn: new Date().toISOString().slice(0, 10),
    household: { new: {} },
  });

  return {
    foreignCallers: [fuzzlandAdmin, fuzzlandStaff],
    foreign: {
      applicationId: application.id,
      applicationVersion: application.version,
      ledgerEntryId: entry.id,
      webhookEndpointId: endpoint.id,
    },
    // Staff of 革新街第01社区: the demo city's, but not the application's community.
    outOfScope: await stack.tokenOf('staff-gexin-01'),
    owner,
    fuzzlandAdmin,
    exportee: { ...person, admin: await stack.tokenOf('admin-city') },
  };
}
