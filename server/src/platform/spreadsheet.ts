// Reading uploaded spreadsheets (imports, list matching): xlsx through exceljs's streaming
// reader, csv in UTF-8 or GB18030.
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.js';
import { readZipParts } from './zip-parts.js';

/** How many leading bytes of `buf` are whole UTF-8 characters (the rest is a character cut in two). */
export function wholeUtf8Length(buf: Buffer): number {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4); i--) {
    const b = buf[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead byte
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return buf.length - i < size ? i : buf.length;
  }
  return buf.length;
}

/** Re-chunks a byte stream so no chunk ends inside a UTF-8 character. */
export async function* utf8Whole(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  for await (const chunk of source) {
    const buf = carry.length ? Buffer.concat([carry, Buffer.from(chunk)]) : Buffer.from(chunk);
    const cut = wholeUtf8Length(buf);
    carry = buf.subarray(cut);
    if (cut) yield buf.subarray(0, cut);
  }
  if (carry.length) yield carry;
}

// exceljs 4.4's streaming reader decodes each inflated chunk on its own (utils/parse-sax.js), so a
// Chinese character cut by a chunk boundary turns into U+FFFD: about one cell per 16 KB of sheet
// XML. This reader hands it the sheet and shared-string streams in whole characters.
//
// It also reads the workbook's relations, sheet list, shared strings and styles first, from the zip
// in memory: exceljs and Excel write them after the sheets, and the reader otherwise copies each
// sheet to a temporary file that it only removes when the sheets are read to the end — a reader
// left after the first sheet (every caller stops there) kept its file and its descriptor open.
type Entry = AsyncIterable<Buffer> & NodeJS.ReadableStream;
type ReaderInternals = {
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: number): Generator<unknown>;
  _parseSharedStrings(entry: Entry): AsyncGenerator<unknown>;
  _parseRels(entry: Entry): Promise<void>;
  _parseWorkbook(entry: Entry): Promise<void>;
  _parseStyles(entry: Entry): Promise<void>;
};
type WorkbookReaderClass = typeof ExcelJS.stream.xlsx.WorkbookReader;
type ReaderOptions = NonNullable<ConstructorParameters<WorkbookReaderClass>[1]>;
type PreparedReader = InstanceType<WorkbookReaderClass> & ReaderInternals & { prepared?: Set<string>; sharedStrings?: unknown[] };
let utf8SafeReader: WorkbookReaderClass | null = null;

const RELS = 'xl/_rels/workbook.xml.rels';
const WORKBOOK = 'xl/workbook.xml';
const SHARED_STRINGS = 'xl/sharedStrings.xml';
const STYLES = 'xl/styles.xml';

async function readerClass(): Promise<WorkbookReaderClass> {
  if (utf8SafeReader) return utf8SafeReader;
  const { WorkbookReader } = (await loadExcel()).stream.xlsx;
  const base = WorkbookReader.prototype as unknown as ReaderInternals;
  class Utf8SafeWorkbookReader extends WorkbookReader {}
  const skip = (reader: PreparedReader, part: string) => reader.prepared?.has(part) === true;
  Object.assign(Utf8SafeWorkbookReader.prototype, {
    _parseWorksheet(this: PreparedReader, iterator: AsyncIterable<Buffer>, sheetNo: number) {
      return base._parseWorksheet.call(this, utf8Whole(iterator), sheetNo);
    },
    async *_parseSharedStrings(this: PreparedReader, entry: Entry) {
      if (!skip(this, SHARED_STRINGS)) yield* base._parseSharedStrings.call(this, Readable.from(utf8Whole(entry)) as Entry);
    },
    async _parseRels(this: PreparedReader, entry: Entry) {
      if (!skip(this, RELS)) await base._parseRels.call(this, entry);
    },
    async _parseWorkbook(this: PreparedReader, entry: Entry) {
      if (!skip(this, WORKBOOK)) await base._parseWorkbook.call(this, entry);
    },
    async _parseStyles(this: PreparedReader, entry: Entry) {
      if (!skip(this, STYLES)) await base._parseStyles.call(this, entry);
    },
  } satisfies ReaderInternals);
  return (utf8SafeReader = Utf8SafeWorkbookReader);
}

function* pieces(buf: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < buf.length; at += size) yield buf.subarray(at, at + size);
}

/** exceljs's streaming xlsx reader over a file in memory, fed whole UTF-8 characters (exceljs loaded on first use). */
export async function openWorkbookReader(content: Buffer, options: ReaderOptions): Promise<InstanceType<WorkbookReaderClass>> {
  const Reader = await readerClass();
  const reader = new Reader(Readable.from([content]), options) as PreparedReader;
  const parts = readZipParts(content, new Set([RELS, WORKBOOK, SHARED_STRINGS, STYLES]));
  const rels = parts.get(RELS);
  const workbook = parts.get(WORKBOOK);
  // Without these two the sheets cannot be parsed in passing; exceljs then reads the file its own way.
  if (!rels || !workbook || options.sharedStrings !== 'cache') return reader;
  // In 64 KB pieces: exceljs turns each piece it is given into one array of parse events, and a
  // shared-strings part handed over whole (a 200,000-row roll: 6.7 MB) became ~140 MB of events at once.
  const entry = (part: Buffer) => Readable.from(pieces(part, 64 * 1024)) as unknown as Entry;
  await reader._parseRels(entry(rels));
  await reader._parseWorkbook(entry(workbook));
  const strings = parts.get(SHARED_STRINGS);
  if (strings) for await (const _ of reader._parseSharedStrings(entry(strings)));
  else reader.sharedStrings = []; // numbers and inline strings only
  const styles = parts.get(STYLES);
  if (styles) await reader._parseStyles(entry(styles));
  reader.prepared = new Set([RELS, WORKBOOK, SHARED_STRINGS, STYLES]);
  return reader;
}

/** CSV bytes to text: UTF-8 (BOM or not), else GB18030 — what Excel saves as "CSV" on Chinese Windows. */
export function decodeCsv(buf: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    text = new TextDecoder('gb18030').decode(buf);
  }
  return text.replace(/^\uFEFF/, '');
}

export const isZip = (buf: Buffer) => buf.length > 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;

/** Content types under which a spreadsheet may arrive as a raw request body. */
export const SPREADSHEET_UPLOAD_TYPES = ['application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'];
export const SPREADSHEET_UPLOAD_LIMIT = 20 * 1024 * 1024;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Spreadsheet formula injection: a text starting with = + - @ (or a tab / CR) gets a leading quote. */
export function escapeCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
