/** How a city's unit tree is shown: rows as `PUT /units` takes them, with the version and who made it. */

import { csvOf } from '../../kernel/domain/csv.js';
import type { Unit } from '../../kernel/domain/units.js';
import { rowsOfUnits, type UnitTreeVersion, unitCsvColumns } from './unit-tree.js';

export const unitTreeView = (tree: UnitTreeVersion) => ({
  cityId: tree.cityId,
  version: tree.version,
  at: tree.at,
  by: tree.by,
  count: tree.units.length,
  units: rowsOfUnits(tree.units),
});
/** The answer of `GET /units`: the tree in force (or the version asked for). */
export type UnitTreeView = ReturnType<typeof unitTreeView>;

/** The tree as the CSV `PUT /units` takes (no byte-order mark: a file to edit and send back). */
export function unitTreeCsv(units: readonly Unit[]): string {
  const rows = rowsOfUnits(units).map((r) => [r.id, r.name, r.parent ?? '', r.level]);
  return csvOf([unitCsvColumns, ...rows], { bom: false });
}
