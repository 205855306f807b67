/**
 * Subsidies feed the employment ledger: a third consumer of the table's stream (its own event
 * source mapping on AWS, filtered like the others to inserted history events; locally fed by the
 * same poller). For each final approval it records on the person's ledger entry that they are in
 * work from the grant's first day (a post subsidy or public-welfare post: on that post; a
 * microloan guarantee: self-employed; the flexible-employment subsidy: flexible employment),
 * linking the application.
 *
 * Replay-safe: the link item (`LINK#<application>`) is written in the same transaction as the
 * change, on condition it does not exist, so a replayed record changes nothing. A person not in
 * the ledger is registered on the spot from the application's facts (community, name, phone, the
 * masked number; the sealed number stays where intake put it), in a household of their own, as
 * unemployed on the day the application was submitted (that is what the subsidy presumed), and
 * then put in work: the registration shows in the ledger as made by the approval, so the
 * community sees who joined it that way.
 */

import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { policyRepository } from '../../administration/index.js';
import {
  type Application,
  applicationRepository,
  historyEventOfImage,
  openApplicantFacts,
} from '../../applications/index.js';
import { historyMacFromEnvironment } from '../../kernel/adapters/history-mac.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import { secretValue } from '../../kernel/runtime/secrets.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import type { LedgerEntryState } from '../domain/employment-ledger.js';
import { AlreadyRegisteredError, registerByApproval } from '../domain/registration.js';
import { approvalActor, putInWorkByApproval } from '../domain/status-changes.js';
import {
  AlreadyLinkedError,
  type EmploymentLedgerRepository,
  employmentLedgerRepository,
  recordChange,
} from '../store/employment-ledger.js';

export interface EmploymentFeedDependencies {
  ledger: EmploymentLedgerRepository;
  application: (id: string) => Promise<Application | undefined>;
  policyOf: (application: Application) => Promise<CityPolicy>;
  residentIdSecret: string;
  now: () => Date;
  newId: () => string;
}

async function registerFromApplication(
  deps: EmploymentFeedDependencies,
  application: Application,
  /** The entry of a community the person moved away from: this one replaces it. */
  movedFrom?: Pick<LedgerEntryState, 'id' | 'statusSince'>,
): Promise<string> {
  const policy = await deps.policyOf(application);
  const facts = application.sealedFacts
    ? openApplicantFacts(application.sealedFacts, deps.residentIdSecret, application.applicantKey)
    : undefined;
  const { applicant } = application;
  const householdId = deps.newId();
  const entryId = deps.newId();
  const transition = registerByApproval({
    application: {
      id: application.id,
      cityId: application.cityId,
      communityId: application.communityId,
      unitPath: application.unitPath,
      person: {
        name: applicant.name,
        ...(applicant.phone ? { phone: applicant.phone } : {}),
        idNumber: applicant.idNumber,
        personKey: application.applicantKey,
      },
      submittedOn: shanghaiDate(new Date(application.submittedAt)),
    },
    facts,
    policy,
    ...(movedFrom ? { movedFrom } : {}),
    actor: approvalActor(application.communityId),
    ids: { entry: entryId, household: householdId },
    at: deps.now().toISOString(),
  });
  try {
    await deps.ledger.record(transition);
    return entryId;
  } catch (error) {
    // Registered meanwhile (by the community, or a replay of this record): use that entry.
    if (error instanceof AlreadyRegisteredError) return error.existingEntryId;
    throw error;
  }
}

/** Records one final approval on the ledger; answers whether it changed anything. */
export async function recordApproval(deps: EmploymentFeedDependencies, applicationId: string): Promise<boolean> {
  const application = await deps.application(applicationId);
  if (application?.status !== 'approved') return false;
  const registered = await deps.ledger.registeredEntryOf(application.applicantKey, application.cityId);
  const held = registered ? await deps.ledger.entry(registered) : undefined;
  // A person who moved away from the community that registered them, approved in this city since:
  // registered where the application was taken in, the old entry named as theirs before.
  const entryId =
    held?.status === 'moved-away'
      ? await registerFromApplication(deps, application, held)
      : (registered ?? (await registerFromApplication(deps, application)));
  if (await deps.ledger.isLinked(entryId, application.id)) return false;
  const approval = {
    applicationId: application.id,
    programme: application.programme,
    communityId: application.communityId,
    ...(application.entitlement?.start ? { start: application.entitlement.start } : {}),
    approvedOn: shanghaiDate(new Date(application.updatedAt)),
  };
  try {
    const recorded = await recordChange(deps.ledger, entryId, (entry, household) =>
      putInWorkByApproval(entry, household, approval, deps.now().toISOString()),
    );
    if (!recorded) logger.info('final approval not recorded on the ledger', { applicationId, entryId });
    return recorded !== undefined;
  } catch (error) {
    if (error instanceof AlreadyLinkedError) return false;
    throw error;
  }
}

export function makeEmploymentFeed(deps: EmploymentFeedDependencies) {
  return async (event: DynamoDBStreamEvent): Promise<{ recorded: number }> => {
    let recorded = 0;
    for (const record of event.Records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      const stored = historyEventOfImage(record.dynamodb.NewImage as Record<string, AttributeValue>);
      // Only the final approval: an approval that leaves the application approved.
      if (stored?.event.action !== 'approved' || stored.event.status !== 'approved') continue;
      if (await recordApproval(deps, stored.applicationId)) recorded++;
    }
    return { recorded };
  };
}

export async function productionEmploymentFeedDependencies(): Promise<EmploymentFeedDependencies> {
  const table = tableFromEnvironment();
  const applications = applicationRepository(table);
  const policies = policyRepository(table);
  return {
    ledger: employmentLedgerRepository(table, historyMacFromEnvironment()),
    application: async (id) => (await applications.get(id))?.application,
    policyOf: (application) => policies.ofApplication(application),
    residentIdSecret: await secretValue('residentIdKey'),
    now: () => new Date(),
    newId: randomUUID,
  };
}

export const handler = builtOnFirstCall(async () => makeEmploymentFeed(await productionEmploymentFeedDependencies()));
