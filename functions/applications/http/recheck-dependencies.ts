/** What the re-check's routes and the inbox's notices act on; production wiring below. */
import { type ActorResolver, productionActorResolver } from '../../administration/index.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { type NoticeRepository, noticeRepository } from '../store/notices.js';
import { type RecheckRunRepository, recheckRunRepository } from '../store/recheck-runs.js';
import { type RecheckSuspensions, recheckSuspensions } from '../store/recheck-suspensions.js';

export interface RecheckRouteDependencies {
  resolveActor: ActorResolver;
  runs: Pick<RecheckRunRepository, 'get' | 'request'>;
  suspensions: Pick<RecheckSuspensions, 'suspensions'>;
  notices: NoticeRepository;
  now: () => Date;
}

export function productionRecheckRouteDependencies(): RecheckRouteDependencies {
  const table = tableFromEnvironment();
  return {
    resolveActor: productionActorResolver(),
    runs: recheckRunRepository(table),
    suspensions: recheckSuspensions(table),
    notices: noticeRepository(table),
    now: () => new Date(),
  };
}
