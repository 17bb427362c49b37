// Reading an uploaded outside list a row at a time (xlsx through the streaming reader, csv through
// csv-parse's stream fed in pieces), so a 200,000-row list never sits in memory whole: read whole,
// its rows and cells took ~550 MB of the server's memory.
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { invalid } from '../../platform/errors.js';
import { decodeCsv, isZip, openWorkbookReader } from '../../platform/spreadsheet.js';
import { normaliseWidth } from '../../platform/validators.js';
import { COLUMN_ALIASES } from './matching.schema.js';

export type Column = keyof typeof COLUMN_ALIASES;
export interface ListCell {
  text: string;
  numeric: boolean;
}
export interface ListRow {
  rowNo: number;
  cells: ListCell[];
}

/** A spreadsheet cell as text ('' when empty); numbers are flagged so a mangled ID is explained. */
function cellText(v: unknown): ListCell {
  if (v === null || v === undefined) return { text: '', numeric: false };
  if (typeof v === 'number') return { text: String(v), numeric: true };
  if (typeof v === 'string') return { text: v.trim(), numeric: false };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), numeric: false };
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (Array.isArray(o.richText))
      return {
        text: o.richText
          .map((r) => r.text)
          .join('')
          .trim(),
        numeric: false,
      };
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
  }
  return { text: String(v as string).trim(), numeric: false };
}

async function* xlsxRows(content: Buffer): AsyncGenerator<ListRow> {
  const reader = await openWorkbookReader(content, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  for await (const sheet of reader) {
    for await (const row of sheet) yield { rowNo: row.number, cells: Array.from((row.values as unknown[]).slice(1), cellText) };
    break; // the first sheet only
  }
}

function* textPieces(text: string, size: number): Generator<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
}

async function* csvRows(content: Buffer): AsyncGenerator<ListRow> {
  // In pieces: csv-parse pushes every record of a piece at once, whatever the reader has taken.
  const records = Readable.from(textPieces(decodeCsv(content), 64 * 1024)).pipe(parseCsv({ relax_column_count: true, skip_empty_lines: false, relax_quotes: true }));
  let rowNo = 0;
  for await (const cells of records as AsyncIterable<string[]>) yield { rowNo: ++rowNo, cells: cells.map((c) => ({ text: c.trim(), numeric: false })) };
}

/** The list's rows in file order; a file that cannot be read is one plain message. */
export async function* listRows(content: Buffer): AsyncGenerator<ListRow> {
  const source = isZip(content) ? xlsxRows(content) : csvRows(content);
  try {
    for await (const row of source) yield row;
  } catch {
    throw invalid({ file: '文件无法读取：请上传 .xlsx 或 .csv 文件' });
  }
}

/** How many leading rows may hold the header. */
export const HEADER_ROWS = 5;

/** The header row (one of the first five) and where each known column is. */
export function locateColumns(rows: ListRow[]): { headerIndex: number; at: Partial<Record<Column, number>> } {
  for (let i = 0; i < Math.min(HEADER_ROWS, rows.length); i++) {
    const headers = rows[i]!.cells.map((c) => normaliseWidth(c.text).replace(/\s+/g, ''));
    const at: Partial<Record<Column, number>> = {};
    for (const col of Object.keys(COLUMN_ALIASES) as Column[]) {
      const idx = headers.findIndex((h) => (COLUMN_ALIASES[col] as readonly string[]).includes(h));
      if (idx >= 0) at[col] = idx;
    }
    if (at.idNumber !== undefined) return { headerIndex: i, at };
  }
  throw invalid({ file: '未找到“身份证号”列：表头应包含 姓名、身份证号、手机号、车牌号' });
}
