// The CSV scan (record boundaries, row numbers, blank rows, quoting faults) must agree with one
// csv-parse over the whole text, so that chunks parsed apart give the same rows as today's reader.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvChunkRows, csvRecords, isBlank, scanCsv, type RawRow } from './imports.read.js';

/** The reader before the scan: one csv-parse, row number = info.lines, blank rows skipped. */
function serial(text: string): RawRow[] {
  const recs = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, info: true }) as { record: string[]; info: { lines: number } }[];
  return recs.map((r) => ({ rowNo: r.info.lines, cells: r.record.map((v) => v.trim()) })).filter((r) => !isBlank(r.cells));
}

/** The scan, then the records parsed in chunks of `size` records. */
function chunked(text: string, size: number): RawRow[] {
  const scan = scanCsv(text);
  const out: RawRow[] = [];
  for (let k = 0; k < scan.lines.length; k += size) {
    const end = Math.min(scan.lines.length, k + size);
    const rows = csvChunkRows({
      kind: 'csv',
      text: text.slice(scan.starts[k], scan.starts[end]),
      rowNos: Int32Array.from(scan.lines.slice(k, end)),
      delimiter: scan.delimiter,
    });
    out.push(...rows);
  }
  expect(out.length).toBe(scan.blank.filter((b) => !b).length);
  return out;
}

const outcome = (f: () => RawRow[]) => {
  try {
    return { rows: f() };
  } catch {
    return { error: true };
  }
};

describe('scanCsv', () => {
  it('CR LF, LF and CR files; quoted commas, quotes and line breaks; blank rows; a last row without a line break', () => {
    for (const nl of ['\r\n', '\n', '\r']) {
      const text = ['姓名,证件号码', '张三,1', '', ' , ', '"李,四","2""x"', '"王\r\n五",3', '" ",""', '赵六,4'].join(nl);
      expect(chunked(text, 1)).toEqual(serial(text));
      expect(chunked(text, 3)).toEqual(serial(text));
    }
  });

  it('refuses what csv-parse refuses', () => {
    for (const bad of ['a,b"c\n', 'a,"b"c\n', 'a,"b\n', '"a" ,b\n']) {
      expect(() => serial(bad)).toThrow();
      expect(() => scanCsv(bad)).toThrow();
    }
  });

  it('agrees with csv-parse on any text of commas, quotes, line breaks, spaces and letters', () => {
    const alphabet = fc.constantFrom(',', '"', '\r', '\n', ' ', '\u3000', 'a', '中', '𠀀');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (chars, size) => {
        const text = chars.join('');
        const a = outcome(() => serial(text));
        const b = outcome(() => chunked(text, size));
        expect(b).toEqual(a);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('csvRecords (the register imports: every record, blank ones too, a slice at a time)', () => {
  const whole = (text: string) => parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  const outcomeOf = (f: () => string[][]) => {
    try {
      return { records: f() };
    } catch {
      return { error: true };
    }
  };

  it('gives the records one csv-parse over the whole text gives, in slices of any size', () => {
    const text = ['企业名称,职工人数', '甲,1', '', ' , ', '"乙,公司","2""x"', '"丙\r\n公司",3', '丁,4'].join('\r\n');
    for (const size of [1, 2, 3, 1000]) expect([...csvRecords(text, size)]).toEqual(whole(text));
  });

  it('agrees with csv-parse on any text of commas, quotes, line breaks, spaces and letters', () => {
    const alphabet = fc.constantFrom(',', '"', '\r', '\n', ' ', 'a', '中');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 50 }), fc.integer({ min: 1, max: 4 }), (chars, size) => {
        const text = chars.join('');
        expect(outcomeOf(() => [...csvRecords(text, size)])).toEqual(outcomeOf(() => whole(text)));
      }),
      { numRuns: 2000 },
    );
  });
});
