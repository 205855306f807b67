/**
 * Snapshot files against DynamoDB Local: a CSV and an .xlsx imported, a file imported once however
 * often it is offered, bad rows reported and the rest kept, a newer as-of date answering instead of
 * an older one, no clear ID number in the table, the legal representative compared by keyed hash,
 * and a crash between the rows and the import's record re-run to the same state.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../functions/kernel/domain/resident-id.js';
import { scanAll, type TableContext } from '../../functions/kernel/store/table.js';
import {
  directoryObjects,
  importSnapshotFile,
  routedDataExchange,
  type SnapshotImportDependencies,
  SourceUnavailableError,
  snapshotDataExchange,
  snapshotRepository,
} from '../../functions/verification/index.js';
import { freshTable } from '../support/dynamo.js';

const city = 'city:shijiazhuang';
const secret = 'snapshot-test-resident-id-key-0123456789';
const idOf = (first17: string) => `${first17}${residentIdCheckChar(first17)}`;
const pensioner = idOf('13010219620312001');
const worker = idOf('13010219750312002');
const owner = idOf('13010219800101003');
const stranger = idOf('13010219900101004');
/** The same number with a check digit that does not match. */
const miskeyed = (id: string) => `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`;

let table: TableContext;
let bucket: string;
let deps: SnapshotImportDependencies;

beforeAll(async () => {
  table = await freshTable();
  bucket = mkdtempSync(join(tmpdir(), 'snapshot-bucket-'));
  deps = {
    readObject: directoryObjects(bucket),
    snapshots: snapshotRepository(table),
    residentIdSecret: secret,
    now: () => new Date('2026-06-02T01:00:00Z'),
  };
});
afterAll(() => rmSync(bucket, { recursive: true, force: true }));

const drop = (key: string, content: string | Uint8Array) => {
  mkdirSync(dirname(join(bucket, key)), { recursive: true });
  writeFileSync(join(bucket, key), content);
  return key;
};
const exchange = () => snapshotDataExchange({ table, residentIdSecret: secret });
const allItems = async () => JSON.stringify(await scanAll(table, {}));

describe('importing snapshot files', () => {
  it('imports a GBK CSV with Chinese headers, and answers from it with its as-of date', async () => {
    const key = drop(
      `exchange-snapshots/${city}/pensions/2026-05-31/养老金.csv`,
      iconv.encode(`身份证号,起始月份\r\n${pensioner},2026-03\r\n`, 'gbk'),
    );

    const imported = await importSnapshotFile(deps, key);
    const answer = await exchange().ask(city, { source: 'pensions', idNumber: pensioner });
    const nobody = await exchange().ask(city, { source: 'pensions', idNumber: stranger });

    expect(imported).toMatchObject({ outcome: 'imported', report: { rowsRead: 1, rowsKept: 1, current: true } });
    expect(answer).toEqual({ source: 'pensions', asOf: '2026-05-31', from: '2026-03' });
    expect(nobody).toEqual({ source: 'pensions', asOf: '2026-05-31' });
  });

  it('imports an .xlsx, its dates and numbers read as a clerk typed them', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('缴费');
    sheet.addRow(['身份证号', '月份', '单位统一社会信用代码', '缴费基数(分)', '是否缴费']);
    sheet.addRow([worker, new Date(Date.UTC(2026, 3, 1)), '91130100MA0000001X', 450000, '是']);
    sheet.addRow([worker, '2026-05', '91130100MA0000001X', 450000, '否']);
    const key = drop(
      `exchange-snapshots/${city}/contributions/2026-05-31/社保缴费.xlsx`,
      new Uint8Array(await workbook.xlsx.writeBuffer()),
    );

    const imported = await importSnapshotFile(deps, key);
    const answer = await exchange().ask(city, {
      source: 'contributions',
      idNumber: worker,
      months: { from: '2026-04', to: '2026-04' },
    });

    expect(imported).toMatchObject({ outcome: 'imported', report: { rowsRead: 2, rowsKept: 2, badRowCount: 0 } });
    expect(answer).toEqual({
      source: 'contributions',
      asOf: '2026-05-31',
      records: [{ month: '2026-04', employerCreditCode: '91130100MA0000001X', baseFen: 450000, paid: true }],
    });
  });

  it('imports the same file once: offered again it says so and writes nothing', async () => {
    const key = drop(
      `exchange-snapshots/${city}/deaths/2026-05-31/deaths.csv`,
      `idNumber,on\n${pensioner},2026-05-20\n`,
    );
    const first = await importSnapshotFile(deps, key);
    const before = await allItems();

    const again = await importSnapshotFile(deps, key);

    expect(first.outcome).toBe('imported');
    expect(again).toEqual({ outcome: 'already-imported', report: 'report' in first ? first.report : undefined });
    expect(await allItems()).toBe(before);
  });

  it('keeps the good rows of a file with bad ones, and reports each bad one by line and column', async () => {
    const key = drop(
      `exchange-snapshots/${city}/publicPayroll/2026-05-31/payroll.csv`,
      `身份证号,起始,截止,备注\n${worker},2024-01-01,,\n${miskeyed(worker)},2024-01-01,,\n${owner},2025-13-01,,\n`,
    );

    const imported = await importSnapshotFile(deps, key);

    expect(imported).toMatchObject({
      outcome: 'imported',
      report: {
        rowsRead: 3,
        rowsKept: 1,
        badRowCount: 2,
        ignoredColumns: ['备注'],
        badRows: [
          { line: 3, column: '身份证号', message: expect.stringContaining('resident ID') },
          { line: 4, column: '起始', message: expect.any(String) },
        ],
      },
    });
    expect(await exchange().ask(city, { source: 'publicPayroll', idNumber: worker })).toEqual({
      source: 'publicPayroll',
      asOf: '2026-05-31',
      periods: [{ from: '2024-01-01' }],
    });
  });

  it('refuses a file without a required column, keeping nothing of it', async () => {
    const key = drop(
      `exchange-snapshots/${city}/imprisonments/2026-05-31/a.csv`,
      `身份证号,截止\n${worker},2026-01-01\n`,
    );

    const refused = await importSnapshotFile(deps, key);

    expect(refused).toMatchObject({ outcome: 'refused', report: { refusal: expect.stringContaining('from (起始') } });
    await expect(exchange().ask(city, { source: 'imprisonments', idNumber: worker })).rejects.toMatchObject({
      name: 'SourceUnavailableError',
      reason: 'not-configured',
    });
  });

  it('refuses a file with more rows than the limit before writing any', async () => {
    const key = drop(
      `exchange-snapshots/${city}/unemploymentBenefits/2026-05-31/a.csv`,
      `身份证号,起始\n${worker},2026-01-01\n${owner},2026-01-01\n${pensioner},2026-01-01\n`,
    );

    const refused = await importSnapshotFile({ ...deps, limits: { maxRows: 2 } }, key);

    expect(refused).toMatchObject({ outcome: 'refused', report: { refusal: 'the file has more than 2 rows' } });
    expect(await snapshotRepository(table).currentAsOf(city, 'unemploymentBenefits')).toBeUndefined();
  });

  it('refuses a file over the size limit without reading it', async () => {
    const key = drop(
      `exchange-snapshots/${city}/imprisonments/2026-05-31/big.csv`,
      `身份证号,起始\n${worker},2026-01-01\n`,
    );

    const refused = await importSnapshotFile({ ...deps, limits: { maxBytes: 10 } }, key);

    expect(refused).toMatchObject({
      outcome: 'refused',
      report: { refusal: expect.stringMatching(/^the file is \d+ bytes, more than the 10/), rowsRead: 0 },
    });
  });

  it('lists no more bad rows than the cap, and counts them all', async () => {
    const rows = Array.from({ length: 5 }, () => `${miskeyed(worker)},2026-01-01`).join('\n');
    const key = drop(`exchange-snapshots/${city}/imprisonments/2026-04-30/bad.csv`, `身份证号,起始\n${rows}\n`);

    const imported = await importSnapshotFile({ ...deps, limits: { maxBadRowsListed: 2 } }, key);

    expect(imported).toMatchObject({ report: { rowsRead: 5, rowsKept: 0, badRowCount: 5, current: false } });
    expect('report' in imported && imported.report.badRows).toHaveLength(2);
  });

  it('answers from the newest as-of date: a newer snapshot replaces an older, a late older one changes nothing', async () => {
    const older = drop(
      `exchange-snapshots/${city}/deaths/2026-04-30/deaths.csv`,
      `idNumber,on\n${worker},2026-04-01\n`,
    );
    const newer = drop(`exchange-snapshots/${city}/deaths/2026-06-30/deaths.csv`, `idNumber,on\n${owner},2026-06-01\n`);

    await importSnapshotFile(deps, newer);
    const late = await importSnapshotFile(deps, older);

    expect(late).toMatchObject({ outcome: 'imported', report: { current: false } });
    // The May snapshot (earlier test) said the pensioner died; the June one does not: June answers.
    expect(await exchange().ask(city, { source: 'deaths', idNumber: pensioner })).toEqual({
      source: 'deaths',
      asOf: '2026-06-30',
    });
    expect(await exchange().ask(city, { source: 'deaths', idNumber: owner })).toEqual({
      source: 'deaths',
      asOf: '2026-06-30',
      died: { on: '2026-06-01' },
    });
    expect(await exchange().ask(city, { source: 'deaths', idNumber: worker })).toEqual({
      source: 'deaths',
      asOf: '2026-06-30',
    });
  });

  it('compares the legal representative by keyed hash, both ways of asking', async () => {
    const key = drop(
      `exchange-snapshots/${city}/entities/2026-05-31/registry.csv`,
      '统一社会信用代码,名称,类型,状态,注销日期,法定代表人身份证号\n' +
        `92130100MA0000002Y,张记小吃,个体工商户,注销,2026-03-01,${owner}\n` +
        '91130100MA0000001X,石家庄某公司,企业,存续,,\n',
    );
    await importSnapshotFile(deps, key);

    const byCode = await exchange().ask(city, {
      source: 'entities',
      creditCode: '92130100MA0000002Y',
      legalRepresentativeIdNumber: worker,
    });
    const byPerson = await exchange().ask(city, { source: 'entities', legalRepresentativeIdNumber: owner });
    const unknownRep = await exchange().ask(city, {
      source: 'entities',
      creditCode: '91130100MA0000001X',
      legalRepresentativeIdNumber: owner,
    });

    expect(byCode.entities).toEqual([
      {
        creditCode: '92130100MA0000002Y',
        name: '张记小吃',
        kind: 'individual-business',
        status: 'deregistered',
        deregisteredOn: '2026-03-01',
        legalRepresentativeIsPerson: false,
      },
    ]);
    expect(byPerson.entities).toEqual([
      expect.objectContaining({ creditCode: '92130100MA0000002Y', legalRepresentativeIsPerson: true }),
    ]);
    expect(unknownRep.entities).toEqual([
      expect.not.objectContaining({ legalRepresentativeIsPerson: expect.anything() }),
    ]);
  });

  it('keeps no clear ID number anywhere in the table', async () => {
    const stored = await allItems();

    for (const id of [pensioner, worker, owner]) expect(stored).not.toContain(id);
  });

  it('re-runs a file whose import crashed after its rows were written to the same state', async () => {
    const key = drop(
      `exchange-snapshots/${city}/grantsElsewhere/2026-05-31/grants.csv`,
      `身份证号,城市,项目,起始月份,月数\n${worker},city:baoding,post-subsidy,2026-01,6\n`,
    );
    const crashing = {
      ...deps,
      snapshots: { ...deps.snapshots, recordImport: () => Promise.reject(new Error('the function was stopped')) },
    };
    await expect(importSnapshotFile(crashing, key)).rejects.toThrow('stopped');
    const afterCrash = (await scanAll(table, {})).length;

    const rerun = await importSnapshotFile(deps, key);
    const again = await importSnapshotFile(deps, key);

    expect(rerun).toMatchObject({ outcome: 'imported', report: { rowsKept: 1, current: true } });
    expect(again.outcome).toBe('already-imported');
    // The rows and the pointer were there; the re-run added only the import's record.
    expect((await scanAll(table, {})).length).toBe(afterCrash + 1);
    expect(await exchange().ask(city, { source: 'grantsElsewhere', idNumber: worker })).toEqual({
      source: 'grantsElsewhere',
      asOf: '2026-05-31',
      grants: [{ cityId: 'city:baoding', programme: 'post-subsidy', start: '2026-01', months: 6 }],
    });
  });
});

describe('the routed exchange', () => {
  it('sends a source the city takes from snapshots to them, and any other to the exchange', async () => {
    const asked: string[] = [];
    const http = {
      ask: async (_city: string, question: { source: string }) => {
        asked.push(question.source);
        throw new SourceUnavailableError('entities', 'unreachable');
      },
    };
    const routed = routedDataExchange({
      snapshots: exchange(),
      exchange: http as never,
      policyOf: async () => ({ snapshotSources: ['deaths'] }),
    });

    expect(await routed.ask(city, { source: 'deaths', idNumber: owner })).toMatchObject({ died: { on: '2026-06-01' } });
    await expect(routed.ask(city, { source: 'entities', creditCode: '91130100MA0000001X' })).rejects.toMatchObject({
      reason: 'unreachable',
    });
    expect(asked).toEqual(['entities']);
  });
});
