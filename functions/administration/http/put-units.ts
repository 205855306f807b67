/**
 * PUT /units — the caller's city's whole unit tree, as JSON (`{units: [{id, name, parent, level}]}`)
 * or CSV (`content-type: text/csv`, header `id,name,parent,level`), judged whole and put in force as
 * the next version, logged. A bad row → 422 naming its line and column (CSV) or `units.N.field`
 * (JSON); nothing is changed unless all of it is good. The same tree twice makes no new version.
 * Open applications keep the unit path they were submitted under (see README: when a community moves).
 */

import { ConflictError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { canonicalJson } from '../../kernel/domain/history-chain.js';
import { httpHandler, json, jsonBody, textBody, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import {
  parseUnitCsv,
  type UnitRow,
  unitTreeBodySchema,
  unitTreeChanges,
  validateUnitTree,
} from '../domain/unit-tree.js';
import { unitTreeView } from '../domain/unit-views.js';
import { AdminChangeConflictError } from '../store/admin-log.js';
import { UnitIdTakenError } from '../store/units.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';

function rowsOf(event: Parameters<typeof jsonBody>[0]): { rows: UnitRow[]; lines?: number[] } {
  const type = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!/^text\/csv\b/i.test(type)) return { rows: validated(unitTreeBodySchema, jsonBody(event)).units };
  const csv = parseUnitCsv(textBody(event));
  if ('errors' in csv) {
    const first = csv.errors[0];
    throw new InvalidRequestError(
      `line ${first?.line}, column ${first?.column} (${first?.field}): ${first?.message}`,
      csv.errors,
    );
  }
  return csv;
}

export function makePutUnits(deps: Pick<AdminDependencies, 'resolveActor' | 'units' | 'adminLog' | 'now'>) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = administeredCity(actor);
    const { rows, lines } = rowsOf(event);
    const at = deps.now().toISOString();
    let changes: ReturnType<typeof unitTreeChanges> | undefined;
    try {
      const tree = await deps.units.importTree(deps.adminLog, cityId, (current) => {
        const judged = validateUnitTree(rows, {
          cityId,
          ...(current ? { current: current.units } : {}),
          ...(lines ? { lineOf: (i: number) => lines[i] ?? 0 } : {}),
        });
        if ('errors' in judged) {
          const first = judged.errors[0] as { field: string; message: string; line?: number; column?: number };
          const where = first.line ? `line ${first.line}, column ${first.column} (${first.field})` : first.field;
          throw new InvalidRequestError(`the tree is not valid: ${where}: ${first.message}`, judged.errors);
        }
        const same = current && canonicalJson(current.units) === canonicalJson(judged.units);
        if (same) return undefined;
        changes = unitTreeChanges(current?.units ?? [], judged.units);
        return {
          units: judged.units,
          by: actor.sub,
          at,
          entry: {
            ...(current ? { before: { version: current.version, count: current.units.length } } : {}),
            after: { count: judged.units.length, ...changes },
          },
        };
      });
      if (!tree) throw new Error(`the units of ${cityId} vanished while they were written`);
      return json(200, { ...unitTreeView(tree), changed: changes !== undefined, ...(changes ? { changes } : {}) });
    } catch (error) {
      if (error instanceof UnitIdTakenError)
        throw new ConflictError('some unit ids belong to another city; choose other ids', { ids: error.ids });
      if (error instanceof AdminChangeConflictError)
        throw new ConflictError('the units were changed by someone else at the same moment; read them and try again');
      throw error;
    }
  });
}

export const handler = builtOnFirstCall(() => makePutUnits(productionAdminDependencies()));
