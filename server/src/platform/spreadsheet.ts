// Reading uploaded spreadsheets (imports, list matching): xlsx through exceljs's streaming
// reader, csv in UTF-8 or GB18030.
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.js';

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
type ReaderInternals = {
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: number): Generator<unknown>;
  _parseSharedStrings(entry: AsyncIterable<Buffer>): AsyncGenerator<unknown>;
};
type WorkbookReaderClass = typeof ExcelJS.stream.xlsx.WorkbookReader;
let utf8SafeReader: WorkbookReaderClass | null = null;

/** exceljs's streaming xlsx reader, fed whole UTF-8 characters (exceljs loaded on first use). */
export async function openWorkbookReader(...args: ConstructorParameters<WorkbookReaderClass>): Promise<InstanceType<WorkbookReaderClass>> {
  if (!utf8SafeReader) {
    const { WorkbookReader } = (await loadExcel()).stream.xlsx;
    const baseReader = WorkbookReader.prototype as unknown as ReaderInternals;
    class Utf8SafeWorkbookReader extends WorkbookReader {}
    Object.assign(Utf8SafeWorkbookReader.prototype, {
      _parseWorksheet(this: ReaderInternals, iterator: AsyncIterable<Buffer>, sheetNo: number) {
        return baseReader._parseWorksheet.call(this, utf8Whole(iterator), sheetNo);
      },
      _parseSharedStrings(this: ReaderInternals, entry: AsyncIterable<Buffer>) {
        return baseReader._parseSharedStrings.call(this, Readable.from(utf8Whole(entry)));
      },
    } satisfies ReaderInternals);
    utf8SafeReader = Utf8SafeWorkbookReader;
  }
  return new utf8SafeReader(...args);
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
