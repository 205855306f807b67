/**
 * The birth date and sex a resident ID encodes, kept for judging a resubmission after the clear
 * number is gone, are sealed before they are stored: beside the ID's mask and the figures, a birth
 * date in clear would let anyone who reads the table narrow the ID to a few hundred numbers.
 * AES-256-GCM under a key derived from the city's resident-ID secret (which the table never
 * holds), bound to the person's keyed hash, so a sealed copy cannot be moved to another applicant.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { ResidentIdFacts } from '../../kernel/domain/resident-id.js';

const prefix = 'facts1:';
const keyOf = (secret: string) => createHmac('sha256', secret).update('applicant-facts/v1').digest();

export function sealApplicantFacts(facts: ResidentIdFacts, secret: string, applicantKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv).setAAD(Buffer.from(applicantKey));
  const sealed = Buffer.concat([cipher.update(JSON.stringify([facts.birthDate, facts.sex])), cipher.final()]);
  return `${prefix}${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')}`;
}

/** The facts back; throws when the copy was not sealed for this person under this secret. */
export function openApplicantFacts(sealed: string, secret: string, applicantKey: string): ResidentIdFacts {
  if (!sealed.startsWith(prefix)) throw new Error('not sealed applicant facts');
  const blob = Buffer.from(sealed.slice(prefix.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), blob.subarray(0, 12)).setAAD(
    Buffer.from(applicantKey),
  );
  decipher.setAuthTag(blob.subarray(12, 28));
  const [birthDate, sex] = JSON.parse(
    Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8'),
  ) as [string, ResidentIdFacts['sex']];
  return { birthDate, sex };
}
