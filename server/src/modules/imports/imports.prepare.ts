// The preparing stage of an import, pure and CPU-bound: a chunk of raw rows → validated (parseRow),
// encrypted, blind-indexed, masked and pinyin'd staging lines (COPY text format), or the row's
// error with its original cells encrypted. Runs in worker threads (imports.worker.ts) for large
// files and in the calling thread for small ones; the same function either way.
import type { FieldCrypto } from '../../platform/crypto.js';
import { PERSON_COLUMNS, personRecord } from '../members/members.people.js';
import { parseRow } from './imports.parse.js';
import { rowsOfChunk, type ChunkSource } from './imports.read.js';
import type { ImportField } from './imports.schema.js';

export interface PrepareTask {
  source: ChunkSource;
  /** How many header columns: the error report keeps the file's columns. */
  headerCount: number;
  /** Column index of each field in the file, -1 when the file has no such column. */
  idx: Record<ImportField, number>;
  /** China day: the default join date and the latest allowed one. */
  today: string;
  /**
   * A buffer of an earlier chunk to write this chunk's staging lines into (worker threads: it crosses
   * to the worker and back with the result, moved, not copied), so a large import reuses a few
   * buffers instead of leaving one behind per chunk (imports.job.ts). A new one when absent or too small.
   */
  out?: ArrayBuffer;
}

export interface PreparedChunk {
  /** Non-blank data rows in the chunk. */
  rows: number;
  /**
   * Valid rows in file order: row number, identity blind index (the in-file duplicate key), and
   * the staging lines (without the target columns) as UTF-8 bytes, line k = text[ends[k-1], ends[k]).
   * Bytes, not strings: they cross from the worker as one copy outside V8's heap, and die with the
   * chunk instead of being promoted and piling up until a full collection (the import's memory).
   */
  good: { rowNos: number[]; keys: string[]; text: Uint8Array; ends: Int32Array };
  /** Invalid rows: reason and the original cells, encrypted (they hold ID numbers). */
  bad: { rowNo: number; reason: string; valuesEnc: string }[];
}

/** The staging table's columns (imports.stage.repository.ts), in the order of a staging line. */
export const STAGE_COLUMNS = [
  ['row_no', 'int4'],
  ...PERSON_COLUMNS,
  ['employer_name', 'text'],
  ['job_title', 'text'],
  ['employment_form', 'text'],
  ['skill_grade', 'text'],
  ['is_migrant_worker', 'bool'],
  ['is_model_worker', 'bool'],
  ['is_frontline', 'bool'],
  ['joined_on', 'date'],
  // The union the row joins, and its county's 行政区划 code (the member number's prefix): not
  // prepared here, the caller appends them to each line (stageTarget).
  ['org_id', 'int8'],
  ['org_path', 'text'],
  ['division_code', 'text'],
] as const;

/** One value in PostgreSQL's COPY text format. */
const copyText = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined
    ? '\\N'
    : typeof v === 'boolean'
      ? v
        ? 't'
        : 'f'
      : typeof v === 'number'
        ? String(v)
        : /[\\\t\n\r]/.test(v)
          ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
          : v;

/** The staging columns of the union a line's row joins (appended to the prepared line). */
export const stageTarget = (t: { orgId: string; orgPath: string; divisionCode: string | null }) =>
  `\t${copyText(t.orgId)}\t${copyText(t.orgPath)}\t${copyText(t.divisionCode)}`;

/** The file's columns of a row for the error report (as many as the header has). */
export const cellsOf = (cells: string[], headerCount: number) => Array.from({ length: headerCount }, (_, i) => cells[i] ?? '');

export function prepareChunk(c: FieldCrypto, task: PrepareTask): PreparedChunk {
  const rows = rowsOfChunk(task.source);
  const { idx, today, headerCount } = task;
  const out: PreparedChunk = { rows: rows.length, good: { rowNos: [], keys: [], text: new Uint8Array(0), ends: new Int32Array(0) }, bad: [] };
  const lines: string[] = [];
  for (const r of rows) {
    const parsed = parseRow((f) => (idx[f] >= 0 ? (r.cells[idx[f]] ?? '') : ''), today);
    if (!parsed.ok) {
      out.bad.push({ rowNo: r.rowNo, reason: parsed.reason, valuesEnc: c.encrypt(JSON.stringify(cellsOf(r.cells, headerCount))) });
      continue;
    }
    const p = personRecord(c, parsed.person, null);
    const e = parsed.employment;
    const line = [
      r.rowNo,
      p.id_type,
      p.id_enc,
      p.id_bidx,
      p.id_last4,
      p.id_masked,
      p.name,
      p.name_initials,
      p.name_pinyin,
      p.sex,
      p.birth_date,
      p.ethnicity,
      p.phone_enc,
      p.phone_bidx,
      p.phone_masked,
      p.education,
      p.political_status,
      p.hukou_type,
      p.hukou_region,
      p.emergency_contact_name,
      p.emergency_contact_phone_enc,
      p.emergency_contact_phone_masked,
      e.employerName,
      e.jobTitle,
      e.employmentForm,
      e.skillGrade,
      e.isMigrantWorker,
      e.isModelWorker,
      e.isFrontline ?? false,
      parsed.joinedOn,
    ]
      .map(copyText)
      .join('\t');
    out.good.rowNos.push(r.rowNo);
    out.good.keys.push(p.id_bidx);
    lines.push(line);
  }
  out.good.ends = new Int32Array(lines.length);
  let at = 0;
  lines.forEach((l, k) => (out.good.ends[k] = at += Buffer.byteLength(l)));
  // A quarter more than this chunk needs when new: the next chunks' lines are about as long.
  const space = task.out && task.out.byteLength >= at ? task.out : new ArrayBuffer(Math.ceil(at * 1.25));
  const text = Buffer.from(space, 0, at);
  lines.forEach((l, k) => text.write(l, k ? out.good.ends[k - 1]! : 0));
  out.good.text = new Uint8Array(space, 0, at);
  return out;
}

/** Staging line k of a prepared chunk (bytes, without the target columns). */
export const preparedLine = (good: PreparedChunk['good'], k: number) => good.text.subarray(k ? good.ends[k - 1] : 0, good.ends[k]);

/**
 * COPY text of the kept lines with the target columns appended, in blocks of a few dozen KB (one
 * buffer of the whole chunk is not needed at once).
 */
export function* stagingBlocks(good: PreparedChunk['good'], kept: number[], target: string, perBlock = 64): Generator<Buffer> {
  const tail = Buffer.from(`${target}\n`);
  for (let i = 0; i < kept.length; i += perBlock) {
    const parts: Uint8Array[] = [];
    for (const k of kept.slice(i, i + perBlock)) parts.push(preparedLine(good, k), tail);
    yield Buffer.concat(parts);
  }
}
