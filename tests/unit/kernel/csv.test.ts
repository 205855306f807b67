/** The one CSV writer: RFC 4180 quoting, formulas neutralised in text cells only (OWASP CSV injection). */
import { describe, expect, it } from 'vitest';
import { parseUnitCsv } from '../../../functions/administration/domain/unit-tree.js';
import { unitTreeCsv } from '../../../functions/administration/domain/unit-views.js';
import { fullEmploymentCsv } from '../../../functions/employment/domain/evaluation.js';
import { csvCell, csvCellText, csvOf } from '../../../functions/kernel/domain/csv.js';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","点我")', `"'=HYPERLINK(""http://evil.example"",""点我"")"`],
    ['+1+1', `"'+1+1"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
  ])('prefixes text that a spreadsheet would run with a quote, and quotes it: %j', (text, written) => {
    expect(csvCell(text)).toBe(written);
  });

  it('writes numbers as numbers, a negative one included', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(0.9123)).toBe('0.9123');
  });

  it('quotes only what RFC 4180 needs among plain text, and leaves empty cells empty', () => {
    expect(csvCell('新华区')).toBe('新华区');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('reads a neutralised cell back as the text it stood for, and nothing else changed', () => {
    for (const text of ['-东区', '=1', '@x', "'quoted", '新华区'])
      expect(csvCellText(csvCell(text).replace(/^"|"$/g, '').replaceAll('""', '"'))).toBe(text);
  });
});

describe('csvOf', () => {
  it('writes a byte-order mark, CRLF line ends and a final CRLF; without the mark on request', () => {
    expect(
      csvOf([
        ['单位', '数'],
        ['=x', -1],
      ]),
    ).toBe(`\uFEFF单位,数\r\n"'=x",-1\r\n`);
    expect(csvOf([['a']], { bom: false })).toBe('a\r\n');
  });

  it('round-trips a unit tree whose names start like a formula', () => {
    const units = [
      { id: 'city:shijiazhuang', name: '石家庄市', path: ['city:shijiazhuang'] },
      { id: 'district:xinhua', name: '-新华区', path: ['city:shijiazhuang', 'district:xinhua'] },
    ];
    const written = unitTreeCsv(units);
    expect(written).toContain(`"'-新华区"`);
    const read = parseUnitCsv(written);
    expect('rows' in read && read.rows.map((r) => r.name)).toEqual(['石家庄市', '-新华区']);
  });

  it('neutralises a community name stored before names were checked, in the published list', () => {
    const written = fullEmploymentCsv('2026', [
      {
        communityId: 'community:gexin-01',
        communityName: '=HYPERLINK("http://x","革新")',
        fullEmployment: true,
        criteria: [
          {
            criterion: 'employment-rate',
            passed: true,
            figures: { rate: 0.95, targetRate: 0.9, employed: 19, registeredUnemployed: 1 },
            reason: 'ok',
          },
        ],
      },
    ]);
    expect(written.split('\r\n')[1]).toBe(`2026,community:gexin-01,"'=HYPERLINK(""http://x"",""革新"")",0.95`);
  });
});
