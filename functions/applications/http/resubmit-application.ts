/**
 * POST /applications/{id}/resubmit — community staff send a returned application back, with
 * any corrected fields, to the level that returned it. Corrections are validated against the
 * application's own programme. `applicant`, `details` and `documents` replace what was there;
 * `addDocuments` and `removeDocuments` change the document list in place. A resubmission that
 * would fail eligibility is refused (422, `/problems/not-eligible`, every rule with its figures)
 * and nothing is recorded: the application stays returned, at its version, for another try. A
 * corrected resident ID is sealed (KMS) like one taken in, and the person's active-application
 * marker moves to the person it now names. Whether the caller may resubmit it is checked before
 * the body is judged against it or its sealed facts are opened.
 */

import { residentIdVaultFromEnvironment } from '../../kernel/adapters/resident-id-vault.js';
import { detailsSchemas, keptApplicant } from '../../kernel/domain/programmes.js';
import { residentIdKey } from '../../kernel/domain/resident-id-key.js';
import { httpHandler, json, jsonBody, pathParameter, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import { openApplicantFacts, sealApplicantFacts } from '../domain/applicant-facts.js';
import { NotEligibleError } from '../domain/eligibility-verdict.js';
import { assertCommunityStaff } from '../domain/lifecycle.js';
import { resubmit } from '../domain/resubmission.js';
import { awaitingRecheck } from '../domain/verification-hold.js';
import { applicationView } from '../domain/views.js';
import { changeApplication } from './change-application.js';
import {
  type IntakeDependencies,
  productionDependencies,
  productionReadAudit,
  type ReadAuditDependency,
  residentIdKeyDependency,
} from './dependencies.js';
import { auditChangeAnswer } from './read-audits.js';
import { resubmissionSchema } from './request-schemas.js';

export function makeResubmitApplication(deps: IntakeDependencies & ReadAuditDependency) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    const body = validated(resubmissionSchema, jsonBody(event));
    if (body.applicant) {
      // Scope before the body is acted on: sealing a corrected number is a KMS call made for the caller.
      const target = await deps.applications.get(id);
      if (target) assertCommunityStaff(target.application, actor, 'resubmit');
    }
    const sealedIdNumber = body.applicant && (await deps.sealResidentId(body.applicant.idNumber));
    const { application, policy } = await changeApplication(
      deps,
      id,
      ({ application }, policy) => {
        // Scope before content: a caller who may not resubmit it learns nothing of the
        // application, neither its programme's fields (from validating the details) nor its facts.
        assertCommunityStaff(application, actor, 'resubmit');
        const details = body.details && validated(detailsSchemas[application.programme], body.details, ['details']);
        const applicant = body.applicant;
        const applicantKey = applicant ? residentIdKey(applicant.idNumber, deps.residentIdSecret) : undefined;
        // The facts to judge by: the corrected applicant's, or the application's own, opened
        // from the sealed copy (or an older application's clear one, sealed from now on).
        const facts = applicant
          ? keptApplicant(applicant).applicantFacts
          : application.sealedFacts
            ? openApplicantFacts(application.sealedFacts, deps.residentIdSecret, application.applicantKey)
            : application.applicantFacts;
        const transition = resubmit(
          application,
          {
            expectedVersion: body.expectedVersion,
            applicant: applicant && keptApplicant(applicant).applicant,
            applicantKey,
            applicantFacts: facts,
            sealedFacts:
              facts && sealApplicantFacts(facts, deps.residentIdSecret, applicantKey ?? application.applicantKey),
            details,
            documents: body.documents,
            addDocuments: body.addDocuments,
            removeDocuments: body.removeDocuments,
            comment: body.comment,
          },
          actor,
          policy,
          deps.now().toISOString(),
        );
        // What the checks asked about changed: their answers no longer hold until the re-runner asks again.
        return awaitingRecheck(application, transition);
      },
      { sealedIdNumber },
      auditChangeAnswer(deps, actor),
    ).catch((error: unknown) => {
      // Nothing is written, so the refusal is logged (the id and the rules only, never the person).
      if (error instanceof NotEligibleError) {
        logger.info('resubmission refused: it would not be eligible', {
          applicationId: id,
          rules: error.details.eligibility.filter((r) => !r.passed).map((r) => r.ruleId),
        });
      }
      throw error;
    });
    return json(200, applicationView(application, policy, actor));
  });
}

export const handler = builtOnFirstCall(async () =>
  makeResubmitApplication({
    ...productionDependencies(),
    ...productionReadAudit(),
    ...(await residentIdKeyDependency()),
    sealResidentId: (clear) => residentIdVaultFromEnvironment()(clear),
  }),
);
