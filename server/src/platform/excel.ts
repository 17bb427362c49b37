// exceljs is loaded on the first spreadsheet, not at start: about 20 MB of memory a server (and each
// import worker thread) otherwise carries for nothing.
import { PassThrough } from 'node:stream';
import type ExcelJSModule from 'exceljs';

let loaded: Promise<typeof ExcelJSModule> | null = null;

export const loadExcel = (): Promise<typeof ExcelJSModule> => (loaded ??= import('exceljs').then((m) => m.default));

type WorkbookWriter = InstanceType<typeof ExcelJSModule.stream.xlsx.WorkbookWriter>;

/**
 * A workbook written row by row (each row committed, so it is not kept) and answered as one buffer:
 * `fill` adds and commits its sheets; the workbook's own commit and the buffering happen here.
 */
export async function bufferedWorkbook(fill: (wb: WorkbookWriter) => Promise<void> | void, o: { useStyles?: boolean } = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => chunks.push(d));
  const done = new Promise((resolve) => sink.on('end', resolve));
  const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: sink, useStyles: o.useStyles ?? true, useSharedStrings: false });
  await fill(wb);
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
