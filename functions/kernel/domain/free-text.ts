/**
 * Free text (comments, reasons' notes) is screened before it is stored: a clerk who pastes a
 * resident ID number, a mobile number or a bank card number into a comment would otherwise send it
 * into the history, every view of it and every webhook. Each is replaced where it stands, keeping
 * only what cannot identify anyone (the first four characters of an ID, the last four of a card).
 * Pure: the decision, resubmission and withdrawal paths all pass comments through `screenFreeText`.
 */
import * as z from 'zod/mini';
import { residentIdCheckChar } from './resident-id.js';

/** A resident ID: 17 digits and a digit or X, with a valid GB 11643 check character, not inside a longer run. */
const idCandidate = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/g;
/** A mainland mobile number, optionally written with +86/86 and spaces or dashes between its groups. */
const mobileCandidate = /(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])/g;
/** 13 to 19 digits, optionally in groups of four separated by a space or dash. */
const cardCandidate = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;

/** True when the digits pass the Luhn check (ISO/IEC 7812), as bank card numbers do. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const isResidentId = (value: string) => residentIdCheckChar(value.slice(0, 17)) === value[17]?.toUpperCase();

export const maskedIdText = '[身份证号已隐去]';
export const maskedMobileText = '[手机号已隐去]';
export const maskedCardText = (last4: string) => `[银行卡号 尾号${last4} 已隐去]`;

/**
 * The text with every resident ID number (valid check character), mobile number and bank card
 * number (Luhn) replaced. Resident IDs first, so an ID is never taken for a card number.
 */
export function screenFreeText(text: string): string {
  return text
    .replace(idCandidate, (found) => (isResidentId(found) ? maskedIdText : found))
    .replace(mobileCandidate, () => maskedMobileText)
    .replace(cardCandidate, (found) => {
      const digits = found.replace(/[ -]/g, '');
      return passesLuhn(digits) ? maskedCardText(digits.slice(-4)) : found;
    });
}

/** The same for optional text: undefined stays undefined. */
export const screenOptional = (text: string | undefined) => (text === undefined ? undefined : screenFreeText(text));

/**
 * Text whose first non-blank character is `=` is refused where it is taken in (unit names,
 * household labels, evidence, comments, names): a spreadsheet runs it as a formula once it is in a
 * CSV. The CSV writer (`csv.ts`) neutralises every formula trigger anyway; refusing `=` at the door
 * keeps such text out of the table and the views too. `-`, `+` and `@` are not refused: they start
 * ordinary text (`-东区`, a bullet) and numbers, and the writer neutralises them.
 */
export const startsLikeFormula = (text: string) => /^\s*=/.test(text);
export const formulaRefusal = 'must not start with = (a spreadsheet would run it as a formula)';
/** The zod check for a free-text field: `z.string().check(..., notFormula())`. */
export const notFormula = () => z.refine<string>((text) => !startsLikeFormula(text), formulaRefusal);
