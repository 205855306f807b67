/** Reading a snapshot file's rows: headers in either language, the registry's labels, bad rows by line and column, the encodings. */
import { deflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../../functions/kernel/domain/resident-id.js';
import { snapshotFileOf } from '../../../functions/verification/domain/snapshot-layout.js';
import { storedRecordsOf } from '../../../functions/verification/domain/snapshot-records.js';
import { headerPlan, parseSnapshotRow } from '../../../functions/verification/domain/snapshot-rows.js';
import { decodedText, rowsOf } from '../../../functions/verification/store/snapshot-file.js';
import { checkZipBounds } from '../../../functions/verification/store/zip-bounds.js';

const idOf = (first17: string) => `${first17}${residentIdCheckChar(first17)}`;
const person = idOf('13010219750312001');
const representative = idOf('13010219800101002');

const rowsIn = async (format: 'csv' | 'xlsx', bytes: Uint8Array) => {
  const reader = await rowsOf(format, bytes);
  if ('refusal' in reader) throw new Error(reader.refusal);
  const rows = [];
  for await (const row of reader()) rows.push(row);
  return rows;
};

describe('snapshot rows', () => {
  it('reads Chinese headers and 是/否 into the exchange shape', () => {
    const plan = headerPlan('contributions', [
      '身份证号',
      '月份',
      '单位统一社会信用代码',
      '缴费基数（分）',
      '是否缴费',
    ]);

    const parsed = parseSnapshotRow(plan, [person, '2026/5', '91130100MA0000001X', '450000', '是'], 2);

    expect(plan.missing).toEqual([]);
    expect(parsed).toEqual({
      row: {
        idNumber: person,
        month: '2026-05',
        employerCreditCode: '91130100MA0000001X',
        baseFen: 450000,
        paid: true,
      },
    });
  });

  it('reads English headers, enum labels in either language and an absent optional column', () => {
    const plan = headerPlan('entities', ['creditCode', 'name', 'kind', 'status', 'deregisteredOn', 'note']);
    const chinese = headerPlan('entities', ['统一社会信用代码', '名称', '类型', '状态', '法定代表人身份证号']);

    expect(
      parseSnapshotRow(plan, ['92130100ma0000002y', '张记小吃', '个体工商户', '注销', '2026/3/1', 'x'], 3),
    ).toEqual({
      row: {
        creditCode: '92130100MA0000002Y',
        name: '张记小吃',
        kind: 'individual-business',
        status: 'deregistered',
        deregisteredOn: '2026-03-01',
      },
    });
    expect(plan.ignored).toEqual(['note']);
    expect(
      parseSnapshotRow(chinese, ['91130100MA0000001X', '石家庄某公司', '企业', '存续', representative], 2),
    ).toEqual({
      row: {
        creditCode: '91130100MA0000001X',
        name: '石家庄某公司',
        kind: 'enterprise',
        status: 'active',
        legalRepresentativeIdNumber: representative,
      },
    });
  });

  it('names a missing required column with the names it may go by', () => {
    expect(headerPlan('deaths', ['身份证号']).missing).toEqual(['on (死亡日期)']);
  });

  it('reports a bad row by its line and the file’s own column name', () => {
    const plan = headerPlan('contributions', ['身份证号', '月份', '缴费基数(分)', '是否缴费']);

    const parsed = parseSnapshotRow(
      plan,
      [`${person.slice(0, 17)}${person.endsWith('0') ? '1' : '0'}`, '2026-13', '', '也许'],
      7,
    );

    expect(parsed).toEqual({
      problems: [
        { line: 7, column: '身份证号', message: expect.stringContaining('resident ID') },
        { line: 7, column: '月份', message: 'must be a month such as 2026-04' },
        { line: 7, column: '缴费基数(分)', message: 'is required' },
        { line: 7, column: '是否缴费', message: expect.any(String) },
      ],
    });
  });

  it('stores a person under the keyed hash of their number and a firm’s representative only as a hash', () => {
    const [record] = storedRecordsOf('deaths', { idNumber: person, on: '2026-04-02' }, 'k'.repeat(32));
    const firm = storedRecordsOf(
      'entities',
      {
        creditCode: '91130100MA0000001X',
        name: '石家庄某公司',
        kind: 'enterprise',
        status: 'active',
        legalRepresentativeIdNumber: representative,
      },
      'k'.repeat(32),
    );

    expect(record?.subject).toMatch(/^PERSON#[A-Za-z0-9_-]{43}$/);
    expect(record?.record).toEqual({ on: '2026-04-02' });
    expect(firm.map((r) => r.subject.split('#')[0])).toEqual(['FIRM', 'REPRESENTATIVE']);
    expect(JSON.stringify(firm)).not.toContain(representative);
  });
});

describe('snapshot files', () => {
  const csv = `身份证号,死亡日期\n${person},2026-04-02\n`;

  it('decodes UTF-8 with and without a BOM, and GBK', async () => {
    const utf8 = new TextEncoder().encode(csv);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    const gbk = new Uint8Array(iconv.encode(csv, 'gbk'));

    for (const bytes of [utf8, bom, gbk])
      expect(await rowsIn('csv', bytes)).toEqual([
        { line: 1, cells: ['身份证号', '死亡日期'] },
        { line: 2, cells: [person, '2026-04-02'] },
      ]);
    expect(decodedText(gbk)).toBe(csv);
  });

  it('reports a row it cannot read (a broken quote) by its line, without throwing', async () => {
    const rows = await rowsIn('csv', new TextEncoder().encode(`a,b\n"x"y,1\n1,2\n`));

    // What follows a broken quote depends on where the parser finds its footing again: reported, never thrown.
    expect(rows.slice(0, 2)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: [], unreadable: expect.stringContaining('Invalid Closing Quote') },
    ]);
  });

  it('refuses a zip bomb by what it really inflates to, whatever sizes it declares', async () => {
    // One entry, 8 MB of zeros deflated to a few kilobytes, declaring 100 bytes uncompressed.
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const data = deflateRawSync(Buffer.alloc(8 * 1024 * 1024));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(100, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(100, 24);
    central.writeUInt16LE(name.length, 28);
    const directoryAt = local.length + name.length + data.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(directoryAt, 16);
    const zip = Buffer.concat([local, name, data, central, name, end]);

    const refusal = await checkZipBounds(zip, { maxUnzippedBytes: 1024 * 1024, maxZipEntries: 10 });

    expect(zip.length).toBeLessThan(64 * 1024);
    expect(refusal).toMatch(/more than 1 MB \(refused as a possible zip bomb\)/);
    expect(await checkZipBounds(zip, { maxUnzippedBytes: 16 * 1024 * 1024, maxZipEntries: 10 })).toBeUndefined();
  });

  it('refuses an .xlsx that is not a zip', async () => {
    expect(await checkZipBounds(new TextEncoder().encode('not a zip at all, just text'))).toMatch(/no zip directory/);
  });

  it('reads the layout of a key, and refuses one outside it', () => {
    expect(snapshotFileOf('exchange-snapshots/shijiazhuang/deaths/2026-05-31/民政-死亡.csv')).toEqual({
      key: 'exchange-snapshots/shijiazhuang/deaths/2026-05-31/民政-死亡.csv',
      cityId: 'city:shijiazhuang',
      source: 'deaths',
      asOf: '2026-05-31',
      name: '民政-死亡.csv',
      format: 'csv',
    });
    expect(snapshotFileOf('exchange-snapshots/city:shijiazhuang/deaths/2026-05-31/a.txt')).toEqual({
      problem: expect.stringContaining('neither .csv nor .xlsx'),
    });
    expect(snapshotFileOf('exchange-snapshots/../deaths/2026-05-31/a.csv')).toHaveProperty('problem');
    expect(snapshotFileOf('resident-id-key')).toHaveProperty('problem');
  });
});
