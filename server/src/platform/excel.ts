// exceljs is loaded on the first spreadsheet, not at start: about 20 MB of memory a server (and each
// import worker thread) otherwise carries for nothing.
import type ExcelJSModule from 'exceljs';

let loaded: Promise<typeof ExcelJSModule> | null = null;

export const loadExcel = (): Promise<typeof ExcelJSModule> => (loaded ??= import('exceljs').then((m) => m.default));
