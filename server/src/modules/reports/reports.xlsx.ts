// The yearly statistics return as an .xlsx in the layout unions fill in on paper: per sheet a 表号, the
// title, 填报单位 and year, a two-level header with merged cells (a group spans its columns; a single
// column spans both header rows), the 栏次 row (甲, 1, 2 …), then 合计, 本级 and one row per direct child,
// and the note. Built in memory (a return has tens of rows), formula-safe text cells.
import { loadExcel } from '../../platform/excel.js';
import { escapeCell as safeCell } from '../../platform/spreadsheet.js';
import { cellValue, columnsOf, type SheetDefinition } from './reports.sheets.js';

export interface ReturnRow {
  label: string;
  kind: 'total' | 'own' | 'child';
  values: Record<string, string | number | null>;
}
export interface ReturnSheet {
  def: SheetDefinition;
  rows: ReturnRow[];
}
export interface YearlyReturn {
  org: { id: string; name: string };
  year: number;
  generatedAt: string;
  sheets: ReturnSheet[];
}

const THIN = { style: 'thin' as const, color: { argb: 'FF606266' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEAD_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFF2F3F5' } };

export async function yearlyReturnXlsx(r: YearlyReturn): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = '智慧工会服务平台';
  wb.created = new Date(r.generatedAt);
  for (const s of r.sheets) {
    const cols = columnsOf(s.def);
    const width = cols.length + 1;
    const ws = wb.addWorksheet(s.def.name, { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    ws.getColumn(1).width = 30;
    for (let i = 2; i <= width; i++) ws.getColumn(i).width = 13;

    ws.getCell(1, width).value = s.def.formNo;
    ws.getCell(1, width).alignment = { horizontal: 'right' };
    ws.mergeCells(2, 1, 2, width);
    ws.getCell(2, 1).value = `${r.year}年${s.def.title}`;
    ws.getCell(2, 1).font = { size: 16, bold: true };
    ws.getCell(2, 1).alignment = { horizontal: 'center' };
    ws.getRow(2).height = 28;
    ws.mergeCells(3, 1, 3, Math.max(1, width - 2));
    ws.getCell(3, 1).value = safeCell(`填报单位：${r.org.name}`);
    ws.getCell(3, width).value = `${r.year}年度`;
    ws.getCell(3, width).alignment = { horizontal: 'right' };

    // Two header rows (4, 5): the unit column and single columns span both; a group spans its columns.
    const head = (row: number, col: number, text: string) => {
      const c = ws.getCell(row, col);
      c.value = text;
      c.font = { bold: true };
      c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      c.fill = HEAD_FILL;
    };
    ws.mergeCells(4, 1, 5, 1);
    head(4, 1, '单位名称');
    let col = 2;
    for (const h of s.def.header) {
      if ('group' in h) {
        if (h.columns.length > 1) ws.mergeCells(4, col, 4, col + h.columns.length - 1);
        head(4, col, h.group);
        h.columns.forEach((c, i) => head(5, col + i, c.label));
        col += h.columns.length;
      } else {
        ws.mergeCells(4, col, 5, col);
        head(4, col, h.label);
        col += 1;
      }
    }
    ws.getRow(4).height = 30;
    ws.getRow(5).height = 30;
    // 栏次
    head(6, 1, '甲');
    cols.forEach((_, i) => head(6, i + 2, String(i + 1)));

    let row = 7;
    for (const line of s.rows) {
      const label = line.kind === 'total' ? '合计' : line.kind === 'own' ? `${line.label}（本级）` : line.label;
      ws.getCell(row, 1).value = safeCell(label);
      if (line.kind === 'total') ws.getRow(row).font = { bold: true };
      cols.forEach((c, i) => {
        const cell = ws.getCell(row, i + 2);
        const v = cellValue(c, line.values);
        cell.value = v;
        cell.numFmt = c.money ? '#,##0.00' : c.ratio ? '0.0' : '#,##0';
        cell.alignment = { horizontal: 'right' };
      });
      row += 1;
    }
    for (let rr = 4; rr < row; rr++) for (let cc = 1; cc <= width; cc++) ws.getCell(rr, cc).border = BORDER;

    ws.mergeCells(row + 1, 1, row + 1, width);
    ws.getCell(row + 1, 1).value = `说明：${s.def.note}`;
    ws.getCell(row + 1, 1).alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(row + 1).height = 36;
    ws.getCell(row + 2, 1).value = `数据来源：智慧工会服务平台业务记录，生成于 ${r.generatedAt.slice(0, 16).replace('T', ' ')}（UTC）`;
    ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 6 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
