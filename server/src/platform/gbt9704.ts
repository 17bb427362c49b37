// The official-document layout (党政机关公文格式, GB/T 9704-2012) for .docx files: A4 with its margins,
// 仿宋 三号 body on a 28-line grid, 小标宋 二号 title, 黑体 headings, the red 版头 and rule, simple
// tables. `docx` is loaded on first use (memory). The same values as modules/rights/rights.docx.ts,
// which can import them from here.
import type { AlignmentType as AlignmentTypeT } from 'docx';

export const FANGSONG = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
export const XIAOBIAOSONG = { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
export const HEITI = { eastAsia: '黑体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
export const KAITI = { eastAsia: '楷体_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
/** A4, margins of GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (twips). */
export const PAGE = { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } };
/** The type area's width in twips (156 mm). */
export const TEXT_WIDTH_TWIPS = 11906 - 1588 - 1474;
export const SIZE_2 = 44; // 二号 22 pt, in half-points
export const SIZE_3 = 32; // 三号 16 pt
export const SIZE_4 = 28; // 四号 14 pt
export const RED = 'C8161D';

/** 2026-03-05 → 2026年3月5日 */
export const dateCn = (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

type Font = typeof FANGSONG;

/** The docx module plus `para` (a paragraph on the 28-line grid) and `redHeader` (版头 with the red rule). */
export async function gbt9704Kit() {
  const d = await import('docx');
  const { AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType } = d;
  type Align = (typeof AlignmentTypeT)[keyof typeof AlignmentTypeT];
  const para = (
    text: string,
    o: { size?: number; font?: Font; bold?: boolean; align?: Align; color?: string; indent?: boolean; before?: number; after?: number } = {},
  ) =>
    new Paragraph({
      alignment: o.align ?? AlignmentType.JUSTIFIED,
      spacing: { before: o.before ?? 0, after: o.after ?? 0, line: 560, lineRule: 'exact' },
      indent: o.indent ? { firstLine: 640 } : undefined,
      children: [new TextRun({ text, size: o.size ?? SIZE_3, bold: o.bold ?? false, font: o.font ?? FANGSONG, color: o.color })],
    });
  /** 版头: the issuing union in red 小标宋, centred, and the red rule below it. */
  const redHeader = (issuer: string) => [
    para(issuer, { size: 64, font: XIAOBIAOSONG, align: AlignmentType.CENTER, color: RED, before: 600, after: 400 }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 400 },
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 8 } },
      children: [],
    }),
  ];
  /** A table in 仿宋 四号 (header row in 黑体), widths in percent. */
  const table = (widths: number[], head: string[], rows: string[][], align: ('left' | 'right')[] = []) => {
    const cell = (text: string, i: number, bold: boolean) =>
      new TableCell({
        width: { size: widths[i]!, type: WidthType.PERCENTAGE },
        verticalAlign: VerticalAlign.CENTER,
        margins: { top: 60, bottom: 60, left: 100, right: 100 },
        children: [
          new Paragraph({
            alignment: bold ? AlignmentType.CENTER : align[i] === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
            children: [new TextRun({ text, size: 24, bold, font: bold ? HEITI : FANGSONG })],
          }),
        ],
      });
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: head.map((h, i) => cell(h, i, true)) }),
        ...rows.map((row) => new TableRow({ children: row.map((v, i) => cell(v, i, false)) })),
      ],
    });
  };
  return { ...d, para, redHeader, table };
}
