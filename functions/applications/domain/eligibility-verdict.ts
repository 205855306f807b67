/** What eligibility answers: every rule's result with the figures it used, and the entitlement. */
import { DomainError, type FieldError } from '../../kernel/domain/errors.js';
import type { ProgrammeId } from '../../kernel/domain/programmes.js';
import type { ResidentIdFacts } from '../../kernel/domain/resident-id.js';

export interface RuleResult {
  /** Stable id of the rule, e.g. `age-4050`. */
  ruleId: string;
  passed: boolean;
  reason: { zh: string; en: string };
  /** The numbers and dates the rule used, so a person can check the verdict. */
  figures: Record<string, number | string>;
}

/** The result of every rule, in the order they were evaluated. */
export type EligibilityVerdict = RuleResult[];
/** The grant as the policy computes it. For the microloan guarantee, the loan amount over the loan term. */
export interface Entitlement {
  /** First month covered, `YYYY-MM`. */
  start: string;
  months: number;
  monthlyFen?: number;
  grantedFen: number;
  /** The person's lifetime cap for the programme, extended towards retirement where the policy allows. */
  maxMonthsLifetime: number;
}

export interface EligibilityInput {
  programme: ProgrammeId;
  details: Record<string, unknown>;
  documents: readonly { kind: string; ref: string }[];
  proofKind: string;
  /** Birth date and sex, as the resident ID encodes them. */
  person: ResidentIdFacts;
  /** The application date (YYYY-MM-DD, Asia/Shanghai): ages are taken on this day. */
  applicationDate: string;
}

export interface EligibilityOutcome {
  eligible: boolean;
  rules: EligibilityVerdict;
  /** Present when every rule passed. */
  entitlement?: Entitlement;
}

/**
 * A change the city's eligibility rules would refuse, refused before anything is recorded: the
 * application stays as it was, and the refusal carries every rule's result with its figures (as
 * the application shows them) and, per failed rule, the field it judged.
 */
export class NotEligibleError extends DomainError {
  readonly kind = 'invalid';
  // Its own problem type (`/problems/not-eligible`), so a client tells it from a malformed field and shows the rules.
  override readonly title = 'Not eligible';
  readonly details: { eligible: false; eligibility: EligibilityVerdict };
  constructor(
    message: string,
    readonly fieldErrors: FieldError[],
    eligibility: EligibilityVerdict,
  ) {
    super(message);
    this.details = { eligible: false, eligibility };
  }
}
