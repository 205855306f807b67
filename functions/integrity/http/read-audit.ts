/**
 * GET /audit/reads for the city's administrator: who read whose personal data. What records the
 * reads is the kernel's (`kernel/http/record-reads.ts`), used by every route that answers personal data.
 */

import { type ActorResolution, administeredCity, productionActorResolver } from '../../administration/index.js';
import { HttpProblem, httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { MalformedCursorError, type ReadAuditRepository, readAuditRepository } from '../../kernel/store/read-audit.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { defaultReadAuditWindowDays, maxReadAuditWindowDays, readAuditQuerySchema } from './request-schemas.js';

const dayMs = 24 * 3600 * 1000;

/** A date alone means its whole day (UTC): `from` its start, `to` its end. */
const asInstant = (value: string, end: boolean) =>
  value.length === 10 ? `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : new Date(value).toISOString();

export function makeListReadAudit(
  deps: ActorResolution & { readAudit: Pick<ReadAuditRepository, 'query'>; now: () => Date },
) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    const query = validated(readAuditQuerySchema, event.queryStringParameters ?? {});
    const to = query.to ? asInstant(query.to, true) : deps.now().toISOString();
    const from = query.from
      ? asInstant(query.from, false)
      : new Date(Date.parse(to) - defaultReadAuditWindowDays * dayMs).toISOString();
    if (from > to)
      throw new HttpProblem(422, 'Validation failed', 'from is after to', [{ field: 'from', message: 'after to' }]);
    if (Date.parse(to) - Date.parse(from) > maxReadAuditWindowDays * dayMs)
      throw new HttpProblem(422, 'Validation failed', `at most ${maxReadAuditWindowDays} days per query`, [
        { field: 'from', message: `more than ${maxReadAuditWindowDays} days before to` },
      ]);
    try {
      const page = await deps.readAudit.query({
        cityId,
        applicationId: query.applicationId,
        ledgerEntryId: query.ledgerEntryId,
        sub: query.sub,
        from,
        to,
        limit: query.limit ?? 50,
        cursor: query.cursor,
      });
      return json(200, { cityId, from, to, ...page });
    } catch (error) {
      if (error instanceof MalformedCursorError)
        throw new HttpProblem(422, 'Validation failed', error.message, [{ field: 'cursor', message: error.message }]);
      throw error;
    }
  });
}

export const handler = builtOnFirstCall(() =>
  makeListReadAudit({
    resolveActor: productionActorResolver(),
    readAudit: readAuditRepository(tableFromEnvironment()),
    now: () => new Date(),
  }),
);
