/**
 * The vocabulary of an application's history that every capability reads: its statuses, the
 * stage it waits at, who acted, and the events of its hash-chained history. The rules that make
 * these events are the applications module's (`applications/domain/lifecycle.ts`); webhooks,
 * counters and the employment feed only read them.
 */
import type { ApprovalStage } from './actor.js';
import type { Chained } from './history-chain.js';

export const applicationStatuses = ['in_review', 'returned', 'approved', 'rejected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];
/** Where the application waits: with an approval level, or back with the community. */
export type Stage = ApprovalStage | 'community';

export interface ActorRef {
  sub: string;
  role: string;
  unit: string;
}

export const systemActor: ActorRef = { sub: 'system', role: 'system', unit: 'system' };

export type HistoryAction =
  | 'submitted'
  | 'approved'
  | 'rejected'
  | 'returned'
  | 'resubmitted'
  | 'withdrawn'
  | 'reminded'
  | 'overdue'
  | 'rescheduled'
  // A suspicion (疑点) raised by the checks, and an auditor's disposition of it: the application's
  // status and stage do not move, but who may approve it does, so the history says when and why.
  | 'suspicion-raised'
  | 'suspicion-cleared'
  | 'suspicion-confirmed'
  /** The monthly re-check found the holder no longer qualifies: the grant pays nothing from `suspendedFrom`. */
  | 'grant-suspended';

export interface HistoryEvent extends Chained {
  seq: number;
  at: string;
  action: HistoryAction;
  /** The stage the application was at when this happened. */
  stage: Stage;
  actor: ActorRef;
  reason?: string;
  comment?: string;
  /** For an overdue stage: the unit it was escalated to. */
  escalatedTo?: string;
  /** On a suspicion's events: the suspicion (疑点) raised or disposed of. */
  suspicionId?: string;
  /** On the final approval: the amount granted under the application's policy (integer fen). */
  grantedFen?: number;
  /** On a grant's suspension: the first month (`YYYY-MM`) it no longer pays. */
  suspendedFrom?: string;
  /** Status, stage and version right after the event. */
  status: ApplicationStatus;
  stageAfter: Stage | null;
  version: number;
}

/** The actions that record a suspicion's life, not a step of the approval: counters and feeds skip them. */
export const suspicionActions = ['suspicion-raised', 'suspicion-cleared', 'suspicion-confirmed'] as const;
export type SuspicionAction = (typeof suspicionActions)[number];
export const isSuspicionAction = (action: HistoryAction): action is SuspicionAction =>
  (suspicionActions as readonly string[]).includes(action);

/** Finally decided: nothing more happens to it. */
export function isFinal(status: ApplicationStatus): boolean {
  return status === 'approved' || status === 'rejected' || status === 'withdrawn';
}
