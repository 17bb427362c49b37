import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { openWorkbookReader } from './spreadsheet.js';
import { readZipParts } from './zip-parts.js';

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名册');
  ws.addRow(['姓名', '入会日期', '人数']);
  ws.addRow(['张建国', new Date(Date.UTC(2024, 2, 5)), 12]);
  ws.getCell('B2').numFmt = 'yyyy-mm-dd';
  ws.addRow(['李秀英', new Date(Date.UTC(2025, 10, 30)), 7]);
  wb.addWorksheet('填写说明').addRow(['第二张表']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads the first sheet and stops there, as every caller does. */
async function firstSheet(content: Buffer): Promise<unknown[][]> {
  const reader = await openWorkbookReader(content, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore' });
  const rows: unknown[][] = [];
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) rows.push((row.values as unknown[]).slice(1));
    break;
  }
  return rows;
}

const openDescriptors = () => readdirSync('/proc/self/fd').length;
const ourTempFiles = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`)).length;

describe('openWorkbookReader', () => {
  it('reads shared strings, dates and numbers of a sheet written before its shared strings', async () => {
    const content = await workbook();
    const order = [...readZipParts(content, new Set(['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml'])).keys()];
    expect(order).toEqual(['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']); // the order that needs the first pass
    const rows = await firstSheet(content);
    expect(rows[0]).toEqual(['姓名', '入会日期', '人数']);
    expect(rows[1]![0]).toBe('张建国');
    expect((rows[1]![1] as Date).toISOString()).toBe('2024-03-05T00:00:00.000Z');
    expect(rows[2]).toEqual(['李秀英', expect.any(Date), 7]);
  });

  it('leaves no temporary file and no open descriptor behind when the caller stops after the first sheet', async () => {
    const content = await workbook();
    await firstSheet(content); // exceljs loaded, descriptors of the first use settled
    const descriptors = openDescriptors();
    const files = ourTempFiles();
    for (let i = 0; i < 40; i++) await firstSheet(content);
    expect(ourTempFiles() - files).toBe(0);
    expect(openDescriptors() - descriptors).toBeLessThan(5);
  });

  it('a zip it cannot read part by part is left to exceljs, which still reads it', async () => {
    const content = await workbook();
    expect(readZipParts(Buffer.from('PK\x03\x04 not really a zip'), new Set(['xl/workbook.xml'])).size).toBe(0);
    // The central directory damaged: the parts are not found, the in-order read still works.
    const damaged = Buffer.from(content);
    const eocd = damaged.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    damaged.writeUInt32LE(damaged.length + 10, eocd + 16);
    expect(readZipParts(damaged, new Set(['xl/workbook.xml'])).size).toBe(0);
    expect((await firstSheet(damaged))[1]![0]).toBe('张建国');
  });
});

describe('a large shared-strings table', () => {
  it('is read within a small heap: exceljs gets the part in pieces, not as one array of parse events', async () => {
    // 50,000 rows of unique strings: a 1.7 MB shared-strings part. Handed over whole, exceljs
    // turned it into ~35 MB of parse events at once (a 200,000-row roll: ~140 MB, the server's heap).
    const path = join(mkdtempSync(join(tmpdir(), 'gonghui-xlsx-')), 'roll.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false });
    const ws = wb.addWorksheet('名册');
    for (let i = 0; i < 50_000; i++) ws.addRow([`职工${i}`, `3209811980${String(i).padStart(8, '0')}`]).commit();
    ws.commit();
    await wb.commit();
    const fixture = fileURLToPath(new URL('./spreadsheet.read-all.fixture.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--max-old-space-size=40', '--import', 'tsx', fixture, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out.trim()).toBe('rows 50000');
    rmSync(dirname(path), { recursive: true, force: true });
  }, 60_000);
});
