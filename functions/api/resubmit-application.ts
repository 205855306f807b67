/**
 * POST /applications/{id}/resubmit — community staff send a returned application back, with
 * any corrected fields, to the level that returned it. Corrections are validated against the
 * application's own programme.
 */
import { z } from 'zod';
import { resubmit } from '../domain/lifecycle.js';
import { policyOfApplication } from '../domain/policy.js';
import { applicantSchema, detailsSchemas, documentsSchema } from '../domain/programmes.js';
import { maskResidentId, residentIdKey } from '../domain/residentId.js';
import { changeApplication } from './change-application.js';
import { productionDependencies, type ApiDependencies } from './dependencies.js';
import { actorOf, httpHandler, json, jsonBody, onFirstRequest, pathParameter, validated } from './http.js';
import { applicationView } from './views.js';

const resubmissionSchema = z.object({
  expectedVersion: z.number().int().min(1),
  applicant: applicantSchema.optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  documents: documentsSchema.optional(),
  comment: z.string().trim().min(1).max(2000).optional(),
});

export function makeResubmitApplication(deps: ApiDependencies) {
  return httpHandler(async (event) => {
    const actor = actorOf(event);
    const id = pathParameter(event, 'id');
    const body = validated(resubmissionSchema, jsonBody(event));
    const { application } = await changeApplication(deps, id, ({ application }) => {
      const details = body.details && validated(detailsSchemas[application.programme], body.details, ['details']);
      const applicant = body.applicant;
      return resubmit(
        application,
        {
          expectedVersion: body.expectedVersion,
          applicant: applicant && { ...applicant, idNumber: maskResidentId(applicant.idNumber) },
          applicantKey: applicant && residentIdKey(applicant.idNumber, deps.residentIdSecret),
          details,
          documents: body.documents,
          comment: body.comment,
        },
        actor,
        policyOfApplication(application),
        deps.now().toISOString(),
      );
    });
    return json(200, applicationView(application));
  });
}

export const handler = onFirstRequest(() => makeResubmitApplication(productionDependencies()));
