/** Withdrawal (step 4 of `lifecycle.ts`): community staff end an application that is not finally decided. */

import * as z from 'zod/mini';
import type { Actor } from '../../kernel/domain/actor.js';
import type { Stage } from '../../kernel/domain/application-events.js';
import { isFinal } from '../../kernel/domain/application-events.js';
import {
  type Application,
  actorRef,
  arriveAt,
  assertCommunityStaff,
  assertExpectedVersion,
  comment,
  expectedVersion,
  notAwaiting,
  record,
  type Transition,
} from './lifecycle.js';

/** Community staff withdraw an application that is not finally decided. */
export function withdraw(application: Application, withdrawal: Withdrawal, actor: Actor, now: string): Transition {
  assertCommunityStaff(application, actor, 'withdraw');
  assertExpectedVersion(application, withdrawal.expectedVersion);
  if (isFinal(application.status)) throw notAwaiting(application, 'open: it is finally decided');
  const stage = application.stage as Stage;
  const next: Application = {
    ...application,
    status: 'withdrawn',
    returnedFrom: undefined,
    stageDaysLeft: undefined,
    ...arriveAt(stage, now, undefined),
    stage: null,
  };
  return record(
    application,
    next,
    { at: now, action: 'withdrawn', stage, actor: actorRef(actor), comment: withdrawal.comment },
    true,
  );
}

export const withdrawalSchema = z.object({ expectedVersion, comment: z.optional(comment) });
export type Withdrawal = z.infer<typeof withdrawalSchema>;
