/**
 * Whether an application's history is the one the product wrote, against someone who can write
 * the table. The hash chain alone proves nothing to them (they can recompute it), so each event
 * also carries a MAC under a key the table does not hold (KMS HMAC), and the application item
 * carries its event count and head with a MAC of its own. Pure: the store asks KMS whether each MAC
 * verifies and hands the answers here; the read path and `npm run verify-history` both judge by it.
 */
import { type Chained, canonicalJson, eventHash, genesisHash } from './history-chain.js';

/** What a MAC of an event authenticates: the application, the event's place and its hash (which covers the chain). */
export const eventMacMessage = (applicationId: string, seq: number, hash: string) =>
  `subsidy-history-event\n${applicationId}\n${seq}\n${hash}`;

/** What the application item's head MAC authenticates: the count of events, the last hash and the state they left. */
export const headMacMessage = (applicationId: string, head: HistoryHead) =>
  `subsidy-history-head\n${applicationId}\n${canonicalJson(head)}`;

export interface HistoryHead {
  eventSeq: number;
  lastEventHash: string;
  version: number;
  status: string;
  stage: string | null;
}

export interface CheckedEvent extends Chained {
  seq: number;
  version: number;
  status: string;
  stageAfter: string | null;
}

/** Each finding names what is wrong; none means the history is intact. */
export function historyFindings(
  head: HistoryHead,
  events: readonly CheckedEvent[],
  macs: { events: readonly boolean[]; head: boolean },
): string[] {
  const findings: string[] = [];
  let previous = genesisHash;
  events.forEach((event, i) => {
    if (event.seq !== i + 1) findings.push(`event ${i + 1} is missing or out of place (found seq ${event.seq})`);
    if (event.prevHash !== previous) findings.push(`event ${event.seq} does not follow the one before it`);
    if (event.hash !== eventHash(event)) findings.push(`event ${event.seq} was changed after it was written`);
    if (!macs.events[i]) findings.push(`event ${event.seq} is not authenticated by the history key`);
    previous = event.hash;
  });
  const last = events.at(-1);
  if (head.eventSeq !== events.length)
    findings.push(`the application records ${head.eventSeq} events, the table holds ${events.length}`);
  if (head.lastEventHash !== (last?.hash ?? genesisHash))
    findings.push('the application head does not match its last event');
  if (last && (last.version !== head.version || last.status !== head.status || last.stageAfter !== head.stage))
    findings.push('the application state is not the one its last event left');
  if (!macs.head) findings.push('the application head is not authenticated by the history key');
  return findings;
}

/** The head of an application, as its MAC covers it. */
export const headOf = (application: HistoryHead): HistoryHead => ({
  eventSeq: application.eventSeq,
  lastEventHash: application.lastEventHash,
  version: application.version,
  status: application.status,
  stage: application.stage,
});
