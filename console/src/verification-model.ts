/**
 * What the console makes of the checks against other offices' records, pure so it is tested
 * offline: a check's result as a clerk reads it, what holds an approval (a suspicion, a check
 * waiting on data), a 409 that is the verification's and not someone else's decision, the refusing
 * checks of a 422 and the fields they mark, and the monthly re-check's figures.
 */
import { verificationRejectionReason } from '../../functions/kernel/domain/verification-policy.js';
import {
  type CheckOutcome,
  checkNames,
  type SourceName,
  type SuspicionStatus,
  sourceLabels,
} from '../../functions/kernel/domain/verification-results.js';
import type { EvidenceKind } from '../../functions/verification/domain/suspicions.js';
import type { ApplicationVerificationView, DispositionBody, Problem, RecheckReport, ShownCheck } from './api.js';
import type { Language } from './i18n/language.js';

/** A suspicion's mismatches come without their outcome: every one of them is a mismatch. */
export const outcomeOf = (check: ShownCheck): CheckOutcome => check.outcome ?? 'mismatch';

/** The colour of a result's tag (antd presets): passed green, mismatch red, waiting amber. */
export const outcomeColor: Record<CheckOutcome, string> = { passed: 'success', mismatch: 'error', pending: 'warning' };

/** The colour of a suspicion's status tag: open amber, cleared green, confirmed red. */
export const suspicionColor: Record<SuspicionStatus, string> = {
  open: 'warning',
  cleared: 'success',
  confirmed: 'error',
};

/** A check's name as the clerk reads it. */
export const checkName = (check: ShownCheck, language: Language): string =>
  checkNames[check.check]?.[language] ?? check.check;

/** The sources the application's checks wait on, each once, in the order of its checks. */
export function pendingSources(verification: Pick<ApplicationVerificationView, 'results'> | undefined): SourceName[] {
  const pending = (verification?.results ?? []).filter((r) => outcomeOf(r) === 'pending').map((r) => r.source);
  return [...new Set(pending)];
}

/** What holds an approval of the application, as its view says: the approve button is disabled with this. */
export type ApprovalHold =
  | { kind: 'suspicion-open' | 'suspicion-confirmed'; suspicionId: string }
  | { kind: 'waiting'; sources: SourceName[] };

export function approvalHold(a: {
  verification?: ApplicationVerificationView;
  waitingOnData?: boolean;
}): ApprovalHold | undefined {
  const suspicion = a.verification?.suspicion;
  if (suspicion?.status === 'open') return { kind: 'suspicion-open', suspicionId: suspicion.id };
  if (suspicion?.status === 'confirmed') return { kind: 'suspicion-confirmed', suspicionId: suspicion.id };
  const sources = pendingSources(a.verification);
  if (a.waitingOnData || a.verification?.waitingOnData || sources.length > 0) return { kind: 'waiting', sources };
  return undefined;
}

/** The reason a rejection must give after a confirmed suspicion (the reject form starts with it). */
export function presetRejectionReason(a: { verification?: ApplicationVerificationView }): string | undefined {
  return a.verification?.suspicion?.status === 'confirmed' ? verificationRejectionReason : undefined;
}

/**
 * Whether a 409 is the verification holding the approval (show its detail) rather than a decision
 * someone else took first (say so and reload): its own problem type, the suspicion or the pending
 * checks it names, or a version that has not moved.
 */
export function isHeldByVerification(problem: Problem | undefined, version: number): boolean {
  if (problem?.status !== 409) return false;
  if (problem.type?.endsWith('/held-by-verification')) return true;
  if (problem.suspicionId !== undefined || problem.pendingChecks !== undefined) return true;
  return problem.currentVersion === version;
}

/** A 422 of intake refused by the checks: every check's result it answers (none for another refusal). */
export function refusedByVerification(problem: Problem | undefined): ShownCheck[] | undefined {
  if (problem?.status !== 422 || !problem.type?.endsWith('/refused-by-verification')) return undefined;
  return Array.isArray(problem.verification) ? (problem.verification as ShownCheck[]) : [];
}

/** The checks whose mismatch refuses: what a refusal names. */
export const refusingChecks = (results: readonly ShownCheck[]): ShownCheck[] =>
  results.filter((r) => outcomeOf(r) === 'mismatch' && r.onMismatch === 'refuse');

/**
 * The field errors of a refusal by the checks, in the clerk's language and on the form's own
 * fields: a refusal names the field a check judged (`details.period` for the months asked for),
 * which the form may hold under a longer path (`details.period.start`).
 */
export function verificationFieldErrors(
  problem: Problem | undefined,
  language: Language,
  formPaths: readonly string[],
  sourceName: (source: SourceName) => string = (source) => sourceLabels[source],
): Record<string, string> {
  const results = refusedByVerification(problem);
  if (!results) return {};
  const errors: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    const id = error.message.split(':')[0]?.trim() ?? '';
    const result = results.find((r) => r.check === id);
    const field = formPaths.includes(error.field)
      ? error.field
      : (formPaths.find((path) => path.startsWith(`${error.field}.`)) ?? error.field);
    const text = result ? checkSentence(result, language, sourceName) : error.message;
    errors[field] = errors[field] ? `${errors[field]}；${text}` : text;
  }
  return errors;
}

/** One check in a sentence: what it found, which office says so, as of when. */
export function checkSentence(
  result: ShownCheck,
  language: Language,
  sourceName: (source: SourceName) => string = (source) => sourceLabels[source],
): string {
  const source = sourceName(result.source);
  if (language === 'en') return `${checkName(result, 'en')} — ${source}${result.asOf ? `, as of ${result.asOf}` : ''}`;
  return `${checkName(result, 'zh')}（${source}${result.asOf ? `，数据截至 ${result.asOf}` : ''}）`;
}

/** The figures of a check as label: value pairs (their names are the checks' own, in Chinese). */
export const figureLines = (check: ShownCheck): string[] =>
  Object.entries(check.figures ?? {}).map(([name, value]) => `${name}: ${value}`);

/** How many grants the re-check could not decide for want of data. */
export function pendingGrants(pending: RecheckReport['pending']): number {
  return typeof pending === 'number' ? pending : pending.grants;
}

/** Why a grant was suspended, as a clerk reads it: a sentence, a check by its name, or a check with its figures. */
export function suspensionReason(reason: RecheckReport['suspended'][number]['reason'], language: Language): string {
  if (typeof reason === 'string') return reason;
  if ('zh' in reason) return reason[language];
  const name = checkNames[reason.check]?.[language] ?? reason.check;
  const figures = Object.entries(reason.figures ?? {}).map(([k, v]) => `${k}: ${v}`);
  return figures.length ? `${name}（${figures.join('，')}）` : name;
}

/** The month the re-check looks at first: the one just ended (business dates in Asia/Shanghai). */
export function monthJustEnded(now: Date): string {
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  const year = shanghai.getUTCFullYear();
  const month = shanghai.getUTCMonth(); // 0-based: the previous month's number
  return month === 0 ? `${year - 1}-12` : `${year}-${String(month).padStart(2, '0')}`;
}

/** The role that disposes of suspicions (稽核员): typed loosely, as the roles the console knows may not name it yet. */
export const isAuditor = (role: string | undefined): boolean => role === 'auditor';

/** The disposition form as typed: clearing needs the evidence, a confirmation may rest on the records alone. */
export interface DispositionForm {
  outcome?: DispositionBody['outcome'];
  evidenceKind?: EvidenceKind;
  reference: string;
  comment: string;
}

/** The body `POST /verification/flags/{id}/disposition` takes, or undefined while the form is not complete. */
export function dispositionBody(form: DispositionForm, expectedVersion: number): DispositionBody | undefined {
  const reference = form.reference.trim();
  const comment = form.comment.trim();
  const evidence = form.evidenceKind && reference ? { kind: form.evidenceKind, reference } : undefined;
  if (!form.outcome || (form.outcome === 'cleared' && !evidence)) return undefined;
  return { outcome: form.outcome, ...(evidence ? { evidence } : {}), ...(comment ? { comment } : {}), expectedVersion };
}
