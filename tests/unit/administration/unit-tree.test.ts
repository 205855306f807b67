/** The unit tree's validators: a CSV read cell by cell, a tree judged whole. */
import { describe, expect, it } from 'vitest';
import { parseUnitCsv, rowsOfUnits, validateUnitTree } from '../../../functions/administration/domain/unit-tree.js';
import { demoCityUnits } from '../../../local/demo-city.js';

const csv = (...lines: string[]) => ['id,name,parent,level', ...lines].join('\r\n');
const good = [
  'city:baoding,保定市,,city',
  'district:lianchi,莲池区,city:baoding,district',
  'street:xiguan,西关街道,district:lianchi,street',
  '"community:xiguan-01","西关第01社区, 南区",street:xiguan,community',
];

describe('reading the CSV', () => {
  it('reads rows with quoting, a BOM and blank lines, and remembers their lines', () => {
    const read = parseUnitCsv(`\uFEFF${csv(...good.slice(0, 2), '', ...good.slice(2))}\r\n`);
    expect(read).toMatchObject({ lines: [2, 3, 5, 6] });
    if (!('rows' in read)) throw new Error('refused');
    expect(read.rows[3]).toEqual({
      id: 'community:xiguan-01',
      name: '西关第01社区, 南区',
      parent: 'street:xiguan',
      level: 'community',
    });
  });

  it.each([
    ['a wrong header', 'id,name,level\ncity:baoding,保定市,city', { line: 1, column: 1, field: 'header' }],
    ['a missing column', csv(good[0] as string, 'district:lianchi,莲池区,city:baoding'), { line: 3, column: 4 }],
    [
      'a bad id',
      csv(good[0] as string, 'District Lianchi,莲池区,city:baoding,district'),
      { line: 3, column: 1, field: 'id' },
    ],
    [
      'an empty name',
      csv(good[0] as string, 'district:lianchi,,city:baoding,district'),
      { line: 3, column: 2, field: 'name' },
    ],
    [
      'an unknown level',
      csv(good[0] as string, 'district:lianchi,莲池区,city:baoding,county'),
      { line: 3, column: 4, field: 'level' },
    ],
    [
      'a name a spreadsheet would run',
      csv(good[0] as string, 'district:lianchi,"=HYPERLINK(""http://x"",""莲池区"")",city:baoding,district'),
      { line: 3, column: 2, field: 'name', message: 'must not start with = (a spreadsheet would run it as a formula)' },
    ],
    ['an unclosed quote', csv(good[0] as string, '"district:lianchi,莲池区,city:baoding,district'), { line: 3 }],
  ])('names the line and column of %s', (_, text, where) => {
    const read = parseUnitCsv(text);
    expect('errors' in read && read.errors[0]).toMatchObject(where);
  });
});

describe('judging a tree whole', () => {
  const rows = () => {
    const read = parseUnitCsv(csv(...good));
    if (!('rows' in read)) throw new Error('refused');
    return read;
  };

  it('builds each unit its path from the city down', () => {
    const judged = validateUnitTree(rows().rows, { cityId: 'city:baoding' });
    expect('units' in judged && judged.units.at(-1)?.path).toEqual([
      'city:baoding',
      'district:lianchi',
      'street:xiguan',
      'community:xiguan-01',
    ]);
  });

  it.each([
    [
      'two roots',
      [{ id: 'city:dingzhou', name: '定州市', parent: null, level: 'city' as const }],
      'units',
      /exactly one root/,
    ],
    [
      'an orphan',
      [{ id: 'street:yuhua', name: '裕华', parent: 'district:nowhere', level: 'street' as const }],
      'parent',
      /orphan/,
    ],
    [
      'a skipped level',
      [{ id: 'community:x-01', name: 'x', parent: 'district:lianchi', level: 'community' as const }],
      'parent',
      /under a street/,
    ],
    [
      'an id twice',
      [{ id: 'street:xiguan', name: '西关', parent: 'district:lianchi', level: 'street' as const }],
      'id',
      /twice/,
    ],
    [
      'a level that does not match the id',
      [{ id: 'street:dongguan', name: '东关', parent: 'district:lianchi', level: 'district' as const }],
      'level',
      /is a street/,
    ],
  ])('refuses %s, naming the CSV line and column', (_, extra, field, message) => {
    const { rows: base, lines } = rows();
    const judged = validateUnitTree([...base, ...extra], { cityId: 'city:baoding', lineOf: (i) => lines[i] ?? 6 });
    expect('errors' in judged).toBe(true);
    const errors = 'errors' in judged ? judged.errors : [];
    expect(errors.find((e) => e.field === field && message.test(e.message))).toBeDefined();
    if (field !== 'units')
      expect(errors.find((e) => e.field === field)).toMatchObject({
        line: expect.any(Number),
        column: expect.any(Number),
      });
  });

  it('refuses a cycle, which can only show as levels out of order', () => {
    const judged = validateUnitTree([
      { id: 'city:baoding', name: '保定市', parent: null, level: 'city' },
      { id: 'street:a', name: 'a', parent: 'street:b', level: 'street' },
      { id: 'street:b', name: 'b', parent: 'street:a', level: 'street' },
    ]);
    expect('errors' in judged && judged.errors.map((e) => e.field)).toEqual(['units.1.parent', 'units.2.parent']);
  });

  it("refuses another city's root and any id of the version in force left out; a move is fine", () => {
    expect(validateUnitTree(rows().rows, { cityId: 'city:shijiazhuang' })).toMatchObject({
      errors: [{ field: 'units.0.id', message: 'the root must be city:shijiazhuang' }],
    });
    const current = demoCityUnits;
    const rowsNow = rowsOfUnits(current);
    const dropped = validateUnitTree(
      rowsNow.filter((r) => r.id !== 'community:gexin-02'),
      { current },
    );
    expect(dropped).toMatchObject({
      errors: [{ field: 'units', message: expect.stringMatching(/community:gexin-02.*never go/) }],
    });
    const moved = validateUnitTree(
      rowsNow.map((r) => (r.id === 'community:gexin-02' ? { ...r, parent: 'street:dongfeng' } : r)),
      { current, cityId: 'city:shijiazhuang' },
    );
    expect('units' in moved && moved.units.find((u) => u.id === 'community:gexin-02')?.path).toEqual([
      'city:shijiazhuang',
      'district:xinhua',
      'street:dongfeng',
      'community:gexin-02',
    ]);
  });
});
