/**
 * A mismatch the city's policy refuses at intake: answered as eligibility answers a failed rule
 * (422, every check's result with its source, as-of date and figures, and per refused check the
 * field it judged), with nothing recorded. Its own problem type, so a client tells it from a
 * malformed field and shows the checks.
 */
import { DomainError, type FieldError } from '../../kernel/domain/errors.js';
import type { VerificationCheckId } from '../../kernel/domain/verification-policy.js';
import { type CheckResult, type CheckSubject, checkNames } from './checks.js';
import { sourceLabels } from './sources.js';

/** The field of the body a check judged: the person's ID, the firm's code, or the months asked for. */
export function fieldOfCheck(check: VerificationCheckId, subject: Pick<CheckSubject, 'programme'>): string {
  switch (check) {
    case 'firm-deregistered':
    case 'not-legal-representative':
      return subject.programme === 'microloan-guarantee' ? 'details.business.licenceNo' : 'details.employer.creditCode';
    case 'grant-elsewhere':
      return 'details.period';
    default:
      return 'applicant.idNumber';
  }
}

export class VerificationRefusedError extends DomainError {
  readonly kind = 'invalid';
  override readonly title = 'Refused by verification';
  readonly fieldErrors: FieldError[];
  readonly details: { verification: CheckResult[] };
  constructor(refused: readonly CheckResult[], all: readonly CheckResult[], subject: Pick<CheckSubject, 'programme'>) {
    super(
      `the records of other offices refuse this application: ${refused.map((r) => `${r.check} (${sourceLabels[r.source]})`).join(', ')}`,
    );
    this.fieldErrors = refused.map((r) => ({
      field: fieldOfCheck(r.check, subject),
      message: `${r.check}: ${checkNames[r.check].en} — ${sourceLabels[r.source]}${r.asOf ? `, as of ${r.asOf}` : ''}`,
    }));
    this.details = { verification: [...all] };
  }
}
