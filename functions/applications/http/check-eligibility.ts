/**
 * POST /applications/eligibility-check — intake's dry run. The body of `POST /applications`,
 * judged as intake would judge it today (same schema, same scope, same policy, same rules), and
 * answered with every rule's result, its reasons and figures, and the entitlement. Nothing is
 * recorded: no application, no history, no idempotency key, no ledger marker; the resident ID is
 * read for its birth date and sex only, never hashed, sealed, stored or logged.
 */
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { keptApplicant, submissionSchema } from '../../kernel/domain/programmes.js';
import { httpHandler, json, jsonBody, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { verifyIntake } from '../../verification/index.js';
import { checkEligibility } from '../domain/intake.js';
import { type EligibilityCheck, eligibilityView } from '../domain/views.js';
import {
  type ApiDependencies,
  type DataExchangeDependency,
  productionDataExchangeDependency,
  productionDependencies,
  residentIdKeyDependency,
} from './dependencies.js';
import { intakeContext } from './intake-policy.js';

export function makeCheckEligibility(
  deps: Pick<ApiDependencies, 'units' | 'policies' | 'now' | 'resolveActor'> & DataExchangeDependency,
) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const submission = validated(submissionSchema, jsonBody(event));
    const now = deps.now();
    const { communityPath, policy } = await intakeContext(deps, submission.communityId, now);
    const { applicant, applicantFacts } = keptApplicant(submission.applicant);
    const outcome = checkEligibility(
      {
        programme: submission.programme,
        communityPath,
        applicant,
        applicantFacts,
        details: submission.details,
        documents: submission.documents,
      },
      actor,
      policy,
      now.toISOString(),
    );
    // Only an eligible body is checked, as intake would; a refusing mismatch is reported, not thrown.
    const verification = outcome.eligible
      ? (
          await verifyIntake(
            deps.dataExchange,
            policy,
            { programme: submission.programme, idNumber: submission.applicant.idNumber, details: submission.details },
            shanghaiDate(now),
          )
        ).results
      : [];
    return json(200, {
      programme: submission.programme,
      communityId: submission.communityId,
      policyVersion: policy.version,
      applicationDate: shanghaiDate(now),
      ...eligibilityView(outcome.rules, outcome.entitlement),
      verification,
    } satisfies EligibilityCheck);
  });
}

export const handler = builtOnFirstCall(async () =>
  makeCheckEligibility({
    ...productionDependencies(),
    // The keyed hash finds a person in the snapshot files; the number itself is never kept.
    ...productionDataExchangeDependency((await residentIdKeyDependency()).residentIdSecret),
  }),
);
