/**
 * The console's words: every key in both catalogs, none empty, every key the code names present,
 * and every message of the domain's schemas put into Chinese.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../../console/src/i18n/en.js';
import { zh } from '../../../console/src/i18n/zh.js';
import { domainMessagesZh } from '../../../console/src/validation.js';
import { evaluateEligibility } from '../../../functions/applications/domain/eligibility.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import type { ProgrammeId } from '../../../functions/kernel/domain/programmes.js';
import { residentIdFacts } from '../../../functions/kernel/domain/resident-id.js';
import { type ContractBody, contractBody } from '../../../tools/support/fixtures.js';

const source = join(import.meta.dirname, '../../../console/src');
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

describe('the console catalogs', () => {
  it('hold the same keys in Chinese and English, none of them empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [key, text] of [...Object.entries(zh), ...Object.entries(en)]) expect(text.trim(), key).not.toBe('');
  });

  it('hold every key the code names literally', () => {
    const named = new Set<string>();
    for (const file of files(source)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\('([\w.-]+)'/g)) named.add(match[1] as string);
      for (const match of text.matchAll(/label: '([\w.-]+)'/g)) named.add(match[1] as string);
    }
    expect(named.size).toBeGreaterThan(50);
    const missing = [...named].filter((key) => !(key in zh));
    expect(missing).toEqual([]);
  });

  it('put every message the domain schemas write into Chinese', () => {
    const domain = ['programmes.ts', 'resident-id.ts'].map((name) =>
      readFileSync(join(import.meta.dirname, '../../../functions/kernel/domain', name), 'utf8'),
    );
    const messages = new Set<string>();
    for (const text of domain)
      for (const match of text.matchAll(/'((?:must|the|does) [^']+)'/g)) messages.add(match[1] as string);
    expect(messages.size).toBeGreaterThan(5);
    expect([...messages].filter((m) => !(m in domainMessagesZh))).toEqual([]);
  });

  it('name every figure an eligibility rule gives, so no code shows through on a Chinese screen', () => {
    const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
    const bodies: ContractBody[] = [
      'public-welfare-post',
      'flexible-employment',
      'post-subsidy',
      'microloan-guarantee',
    ];
    const names = new Set<string>();
    for (const name of bodies) {
      const body = contractBody(name);
      const verdict = evaluateEligibility(policy, {
        programme: body.programme as ProgrammeId,
        details: body.details,
        documents: body.documents ?? [],
        proofKind: body.applicant.proof.kind,
        person: body.person ?? residentIdFacts(body.applicant.idNumber),
        applicationDate: '2026-11-28',
      });
      for (const rule of verdict.rules) for (const figure of Object.keys(rule.figures)) names.add(figure);
    }
    expect(names.size).toBeGreaterThan(15);
    expect([...names].filter((figure) => !(`figure.${figure}` in zh))).toEqual([]);
  });
});
