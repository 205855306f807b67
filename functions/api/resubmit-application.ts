/**
 * POST /applications/{id}/resubmit — community staff send a returned application back, with
 * any corrected fields, to the level that returned it. Corrections are validated against the
 * application's own programme. A corrected resident ID is sealed (KMS) like one taken in, and
 * the person's active-application marker moves to the person it now names.
 */
import * as z from 'zod/mini';
import { resubmit } from '../domain/lifecycle.js';
import { policyOfApplication } from '../domain/policies/index.js';
import { applicantSchema, detailsSchemas, documentsSchema, keptApplicant } from '../domain/programmes.js';
import { residentIdKey } from '../domain/residentId.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { residentIdVaultFromEnvironment } from '../store/resident-id-vault.js';
import { changeApplication } from './change-application.js';
import { type IntakeDependencies, productionDependencies } from './dependencies.js';
import { actorOf, httpHandler, json, jsonBody, pathParameter, validated } from './http.js';
import { applicationView } from './views.js';

const resubmissionSchema = z.object({
  expectedVersion: z.number().check(z.int(), z.minimum(1)),
  applicant: z.optional(applicantSchema),
  details: z.optional(z.record(z.string(), z.unknown())),
  documents: z.optional(documentsSchema),
  comment: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
});

export function makeResubmitApplication(deps: IntakeDependencies) {
  return httpHandler(async (event) => {
    const actor = actorOf(event);
    const id = pathParameter(event, 'id');
    const body = validated(resubmissionSchema, jsonBody(event));
    const sealedIdNumber = body.applicant && (await deps.sealResidentId(body.applicant.idNumber));
    const { application } = await changeApplication(
      deps,
      id,
      ({ application }) => {
        const details = body.details && validated(detailsSchemas[application.programme], body.details, ['details']);
        const applicant = body.applicant;
        return resubmit(
          application,
          {
            expectedVersion: body.expectedVersion,
            applicant: applicant && keptApplicant(applicant).applicant,
            applicantKey: applicant && residentIdKey(applicant.idNumber, deps.residentIdSecret),
            applicantFacts: applicant && keptApplicant(applicant).applicantFacts,
            details,
            documents: body.documents,
            comment: body.comment,
          },
          actor,
          policyOfApplication(application),
          deps.now().toISOString(),
        );
      },
      { sealedIdNumber },
    );
    return json(200, applicationView(application));
  });
}

export const handler = builtOnFirstCall(() =>
  makeResubmitApplication({
    ...productionDependencies(),
    sealResidentId: (clear) => residentIdVaultFromEnvironment()(clear),
  }),
);
