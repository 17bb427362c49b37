// Reading an uploaded roll: the format, the header row, how many data rows, and the data rows in
// chunks for the preparing stage (imports.prepare.ts).
//
// CSV is not parsed here: one pass over the text finds the record boundaries (quote-aware, with
// csv-parse's record-delimiter discovery and line numbering), checks the quoting the way csv-parse
// would refuse it, and counts the non-blank records. Each chunk is then a slice of the text that
// starts and ends on a record boundary, parsed by csv-parse where it is prepared (a worker thread):
// the same records and row numbers as one csv-parse over the whole file (imports.read.unit.test.ts).
// XLSX goes through exceljs's streaming reader (sequential by nature), rows read here.
import type ExcelJS from 'exceljs';
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { ImportJob } from '../../db/schema.js';
import { invalid } from '../../platform/errors.js';
import { openWorkbookReader, decodeCsv } from '../../platform/spreadsheet.js';

export { decodeCsv };

/** A data row: its row number in the file (the error report's and the duplicate message's) and its cells. */
export interface RawRow {
  rowNo: number;
  cells: string[];
}

/** Rows to prepare: a CSV slice (parsed where it is prepared) or rows already read (xlsx). */
export type ChunkSource = { kind: 'csv'; text: string; rowNos: Int32Array; delimiter: string } | { kind: 'rows'; rows: RawRow[] };

export const isBlank = (r: string[]) => r.every((v) => v === '');

export function detectFormat(buf: Buffer, fileName: string): ImportJob['format'] {
  const isZip = buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
  const isOle = buf.length >= 4 && buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0;
  if (isOle) throw invalid({ file: '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传' });
  if (/\.xlsx$/i.test(fileName)) {
    if (!isZip) throw invalid({ file: '文件内容不是有效的 .xlsx 文件' });
    return 'xlsx';
  }
  if (isZip) throw invalid({ file: '文件内容是 Excel 工作簿，但文件名不是 .xlsx' });
  return 'csv';
}

// ---- xlsx ----

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (o.richText)
      return o.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error) return '';
  }
  return String(v as string).trim();
}

export async function* xlsxRows(buf: Buffer): AsyncGenerator<string[]> {
  const reader = await openWorkbookReader(buf, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    // Only the first sheet holds the roll (the template's second sheet is 填写说明).
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as unknown[];
      const out: string[] = [];
      for (let i = 1; i < values.length; i++) out.push(cellText(values[i]));
      (out as string[] & { rowNo?: number }).rowNo = row.number;
      yield out;
    }
    break;
  }
}

const rowNoOf = (r: string[], fallback: number) => (r as string[] & { rowNo?: number }).rowNo ?? fallback;

// ---- csv ----

/** csv-parse's options for the import (one place, so the scan and the parse agree). */
export const csvOptions = (delimiter: string, bom: boolean) =>
  ({ bom, relax_column_count: true, skip_empty_lines: false, info: false, record_delimiter: delimiter }) as const;

/** Why csv-parse would refuse the text (the scan finds the same faults, before anything is written). */
export class CsvShapeError extends Error {}

interface CsvScan {
  /** Start offset of each record, and one past the end of the text. */
  starts: number[];
  /** csv-parse's info.lines of each record (the line it ends on). */
  lines: number[];
  blank: boolean[];
  delimiter: string;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const WHITE = /\s/;

/**
 * Record boundaries of a CSV text as csv-parse finds them with csvOptions (delimiter ',', quote and
 * escape '"', no trimming, no relaxing of quotes): the first CR LF, LF or CR outside quotes is the
 * record delimiter; a quote opens only at the start of a field and closes only before a comma, the
 * record delimiter or the end; "" inside quotes is a quote. Line numbers count every CR and LF,
 * except that a CR LF record delimiter counts once and a last one at the very end not at all
 * (csv-parse's info.lines).
 */
export function scanCsv(text: string): CsvScan {
  const starts: number[] = [0];
  const lines: number[] = [];
  const blank: boolean[] = [];
  let delimiter = '';
  let line = 1;
  let quoting = false;
  let fieldStart = true;
  let recordBlank = true;
  const n = text.length;
  let i = 0;
  const endRecord = (next: number) => {
    lines.push(line);
    blank.push(recordBlank);
    starts.push(next);
    recordBlank = true;
    fieldStart = true;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoting) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) {
          recordBlank = false;
          i += 2;
          continue;
        }
        const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
        const isRecordEnd = delimiter ? text.startsWith(delimiter, i + 1) : next === CR || next === LF;
        if (next !== -1 && next !== COMMA && !isRecordEnd) throw new CsvShapeError(`Invalid Closing Quote at line ${line}`);
        quoting = false;
        i++;
        continue;
      }
      if (c === CR || c === LF) line++;
      else if (recordBlank && !(c < 0x80 ? c === 0x20 || (c >= 0x09 && c <= 0x0d) : WHITE.test(text[i]!))) recordBlank = false;
      i++;
      continue;
    }
    if (c === CR || c === LF) {
      if (!delimiter) delimiter = c === CR && text.charCodeAt(i + 1) === LF ? '\r\n' : c === CR ? '\r' : '\n';
      if (text.startsWith(delimiter, i)) {
        endRecord(i + delimiter.length);
        line++;
        i += delimiter.length;
        continue;
      }
      // A lone CR or LF that is not the record delimiter is a character of the field. (csv-parse
      // counts a line break at the next character: a last one at the very end counts for nothing.)
      if (i + 1 < n) line++;
      fieldStart = false;
      i++;
      continue;
    }
    if (c === QUOTE) {
      if (!fieldStart) throw new CsvShapeError(`Invalid Opening Quote at line ${line}`);
      quoting = true;
      fieldStart = false;
      i++;
      continue;
    }
    if (c === COMMA) fieldStart = true;
    else {
      fieldStart = false;
      if (recordBlank && !(c < 0x80 ? c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c : WHITE.test(text[i]!))) recordBlank = false;
    }
    i++;
  }
  if (quoting) throw new CsvShapeError(`Quote Not Closed at line ${line}`);
  // A last record without a delimiter after it.
  if (starts[starts.length - 1]! < n) endRecord(n);
  else starts[starts.length - 1] = n;
  return { starts, lines, blank, delimiter: delimiter || '\n' };
}

/** The records of a CSV slice, trimmed, paired with the row numbers the scan gave them (blank ones skipped). */
export function csvChunkRows(src: Extract<ChunkSource, { kind: 'csv' }>): RawRow[] {
  const records = parseCsvSync(src.text, csvOptions(src.delimiter, false)) as string[][];
  if (records.length !== src.rowNos.length) throw new CsvShapeError('CSV 分块与扫描结果不一致');
  const out: RawRow[] = [];
  for (let k = 0; k < records.length; k++) {
    const cells = records[k]!.map((v) => v.trim());
    if (!isBlank(cells)) out.push({ rowNo: src.rowNos[k]!, cells });
  }
  return out;
}

/**
 * Every record of a CSV text (blank ones included, untrimmed), parsed a slice of records at a time:
 * one csv-parse over a whole 20 MB file holds every record's array and cells at once (hundreds of MB
 * for a file of short cells), a slice only its own.
 */
export function* csvRecords(text: string, sliceRecords = 2000): Generator<string[]> {
  const scan = scanCsv(text);
  const n = scan.lines.length;
  for (let k = 0; k < n; k += sliceRecords) {
    const end = Math.min(n, k + sliceRecords);
    const records = parseCsvSync(text.slice(scan.starts[k], scan.starts[end]), csvOptions(scan.delimiter, false)) as string[][];
    if (records.length !== end - k) throw new CsvShapeError('CSV 分块与扫描结果不一致');
    yield* records;
  }
}

export const rowsOfChunk = (src: ChunkSource): RawRow[] => (src.kind === 'rows' ? src.rows : csvChunkRows(src));

/** What the job needs before it starts writing: the header row, the data row count, and the chunks. */
export interface RollFile {
  headers: string[] | null;
  total: number;
  chunks(size: number): AsyncGenerator<ChunkSource>;
}

function csvFile(buf: Buffer): RollFile {
  const text = decodeCsv(buf);
  const scan = scanCsv(text);
  const first = scan.blank.indexOf(false);
  let headers: string[] | null = null;
  if (first >= 0) {
    const end = scan.starts[first + 1]!;
    // From the start of the text (csv-parse strips a BOM only there), up to the header's end.
    const records = parseCsvSync(text.slice(0, end), csvOptions(scan.delimiter, true)) as string[][];
    headers = records[first]!.map((v) => v.trim());
  }
  const from = first + 1;
  let total = 0;
  for (let k = from; k < scan.blank.length; k++) if (!scan.blank[k]) total++;
  return {
    headers,
    total,
    async *chunks(size) {
      if (first < 0) return;
      let k = from;
      while (k < scan.lines.length) {
        // `size` non-blank records per chunk (blank ones ride along and are skipped).
        let end = k;
        let count = 0;
        while (end < scan.lines.length && count < size) if (!scan.blank[end++]) count++;
        yield { kind: 'csv', text: text.slice(scan.starts[k], scan.starts[end]), rowNos: Int32Array.from(scan.lines.slice(k, end)), delimiter: scan.delimiter };
        k = end;
      }
    },
  };
}

async function xlsxFile(buf: Buffer): Promise<RollFile> {
  // First pass: the header row and how many data rows there are (for the progress bar).
  let headers: string[] | null = null;
  let total = 0;
  for await (const r of xlsxRows(buf)) {
    if (!headers) {
      if (isBlank(r)) continue;
      headers = r;
    } else if (!isBlank(r)) total++;
  }
  return {
    headers,
    total,
    async *chunks(size) {
      let rows: RawRow[] = [];
      let headerSeen = false;
      let n = 0;
      for await (const r of xlsxRows(buf)) {
        n++;
        if (isBlank(r)) continue;
        if (!headerSeen) {
          headerSeen = true;
          continue;
        }
        rows.push({ rowNo: rowNoOf(r, n), cells: r });
        if (rows.length >= size) {
          yield { kind: 'rows', rows };
          rows = [];
        }
      }
      if (rows.length) yield { kind: 'rows', rows };
    },
  };
}

export const readRollFile = (buf: Buffer, format: ImportJob['format']): Promise<RollFile> =>
  format === 'xlsx' ? xlsxFile(buf) : Promise.resolve(csvFile(buf));
