/** The contract's request bodies (copied from shared/contract, checked equal by a unit test) and actors. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../functions/domain/actor.js';

const contractDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'contract');

export const contractFiles = ['public-welfare-post', 'flexible-employment', 'post-subsidy', 'microloan-guarantee'] as const;
export type ContractBody = (typeof contractFiles)[number];

/** A fresh copy each call, so a test may change it freely. `any`: tests reach into arbitrary fields to break them. */
export function contractBody(name: ContractBody): Record<string, any> {
  return JSON.parse(readFileSync(join(contractDir, `${name}.json`), 'utf8'));
}

export const actors = {
  gexin01Staff: { sub: 'staff-gexin-01', role: 'community-staff', unit: 'community:gexin-01' },
  gexin02Staff: { sub: 'staff-gexin-02', role: 'community-staff', unit: 'community:gexin-02' },
  jianbei01Staff: { sub: 'staff-jianbei-01', role: 'community-staff', unit: 'community:jianbei-01' },
  gexinApprover: { sub: 'approver-gexin', role: 'street-approver', unit: 'street:gexin' },
  gexinApprover2: { sub: 'approver-gexin-2', role: 'street-approver', unit: 'street:gexin' },
  dongfengApprover: { sub: 'approver-dongfeng', role: 'street-approver', unit: 'street:dongfeng' },
  jianbeiApprover: { sub: 'approver-jianbei', role: 'street-approver', unit: 'street:jianbei' },
  cityApprover: { sub: 'approver-city', role: 'city-approver', unit: 'city:shijiazhuang' },
  cityMonitor: { sub: 'monitor-city', role: 'city-monitor', unit: 'city:shijiazhuang' },
} satisfies Record<string, Actor>;
