// 维权 documents as .docx (docx, loaded on first use like the certificates): the 调解协议书 of a
// successful mediation, and 一函两书 in the GB/T 9704 official-document layout — 版头 (issuing union
// in red, a red rule), 发文字号, 标题 (二号小标宋), 主送, 正文 (三号仿宋, 28 lines), 落款 and 成文日期.
import type { AlignmentType as AlignmentTypeT } from 'docx';
import { FANGSONG, HEITI, PAGE, SIZE_2, SIZE_3, XIAOBIAOSONG, dateCn } from '../../platform/gbt9704.js';

export { dateCn };

export interface LetterDoc {
  issuer: string;
  docNo: string;
  title: string;
  addressee: string;
  paragraphs: string[];
  issuedOn: string;
}

export interface AgreementDoc {
  caseNo: string;
  orgName: string;
  parties: { name: string; idMasked: string | null }[];
  employerName: string;
  disputeLabel: string;
  summary: string;
  terms: string;
  agreedAmount: string;
  mediators: string[];
  signedOn: string;
}

async function kit() {
  const d = await import('docx');
  const { AlignmentType, Paragraph, TextRun } = d;
  type Align = (typeof AlignmentTypeT)[keyof typeof AlignmentTypeT];
  const para = (
    text: string,
    o: { size?: number; font?: typeof FANGSONG; bold?: boolean; align?: Align; color?: string; indent?: boolean; before?: number; after?: number } = {},
  ) =>
    new Paragraph({
      alignment: o.align ?? AlignmentType.JUSTIFIED,
      spacing: { before: o.before ?? 0, after: o.after ?? 0, line: 560, lineRule: 'exact' },
      indent: o.indent ? { firstLine: 640 } : undefined,
      children: [new TextRun({ text, size: o.size ?? SIZE_3, bold: o.bold ?? false, font: o.font ?? FANGSONG, color: o.color })],
    });
  return { ...d, para };
}

export async function letterDocx(l: LetterDoc): Promise<Buffer> {
  const { AlignmentType, BorderStyle, Document, Packer, Paragraph, para } = await kit();
  const doc = new Document({
    creator: '智慧工会服务平台',
    title: l.title,
    sections: [
      {
        properties: { page: PAGE },
        children: [
          // 版头: the issuing union in red 小标宋, centred, then the 发文字号 above a red rule.
          para(`${l.issuer}文件`, { size: 64, font: XIAOBIAOSONG, align: AlignmentType.CENTER, color: 'C8161D', before: 600, after: 400 }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 600 },
            border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: 'C8161D', space: 8 } },
            children: [],
          }),
          para(l.docNo, { align: AlignmentType.CENTER, after: 400 }),
          para(l.title, { size: SIZE_2, font: XIAOBIAOSONG, align: AlignmentType.CENTER, after: 560 }),
          para(`${l.addressee}：`, { align: AlignmentType.LEFT }),
          ...l.paragraphs.map((t) => para(t, { indent: true })),
          para(l.issuer, { align: AlignmentType.RIGHT, before: 1120 }),
          para(dateCn(l.issuedOn), { align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export async function agreementDocx(a: AgreementDoc): Promise<Buffer> {
  const { AlignmentType, Document, Packer, para } = await kit();
  const doc = new Document({
    creator: '智慧工会服务平台',
    title: `劳动争议调解协议书 ${a.caseNo}`,
    sections: [
      {
        properties: { page: PAGE },
        children: [
          para('劳动争议调解协议书', { size: SIZE_2, font: XIAOBIAOSONG, align: AlignmentType.CENTER, after: 200 }),
          para(`编号：${a.caseNo}`, { align: AlignmentType.RIGHT, after: 200 }),
          para('申请人：', { font: HEITI }),
          ...a.parties.map((p) => para(`${p.name}${p.idMasked ? `，公民身份号码 ${p.idMasked}` : ''}`, { indent: true })),
          para(`被申请人：${a.employerName}`, { font: HEITI, before: 200 }),
          para(`调解组织：${a.orgName}劳动争议调解委员会`, { font: HEITI, before: 200 }),
          para(`调解员：${a.mediators.join('、') || '—'}`, { font: HEITI }),
          para(`争议类型：${a.disputeLabel}`, { font: HEITI, before: 200 }),
          para('争议事项：', { font: HEITI }),
          para(a.summary, { indent: true }),
          para('经调解，双方自愿达成如下协议：', { font: HEITI, before: 200 }),
          ...a.terms
            .split(/\n+/)
            .filter(Boolean)
            .map((t) => para(t, { indent: true })),
          para(`协议金额合计人民币 ${a.agreedAmount} 元。`, { indent: true }),
          para('本协议自双方签字（盖章）之日起生效，双方应当自觉履行。本协议一式三份，双方当事人及调解组织各执一份。', { indent: true }),
          para('申请人（签字）：', { before: 600 }),
          para('被申请人（盖章）：', { before: 400 }),
          para('调解员（签字）：', { before: 400 }),
          para(`${a.orgName}劳动争议调解委员会（章）`, { align: AlignmentType.RIGHT, before: 600 }),
          para(dateCn(a.signedOn), { align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export interface CheckupReportDoc {
  issuer: string;
  reportNo: string;
  employerName: string;
  checkedOn: string;
  inspectors: string[];
  riskLabel: string;
  summary: string;
  findings: { title: string; resultLabel: string; note: string }[];
  rectifications: { task: string; owner: string; dueOn: string; statusLabel: string }[];
  closingNote: string | null;
  issuedOn: string;
}

/** The 法治体检报告: the GB/T 9704 版头 of the checking union, the findings and the rectification list as tables. */
export async function checkupReportDocx(r: CheckupReportDoc): Promise<Buffer> {
  const { AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, para } = await kit();
  const cell = (text: string, o: { bold?: boolean; width: number }) =>
    new TableCell({
      width: { size: o.width, type: WidthType.PERCENTAGE },
      margins: { top: 60, bottom: 60, left: 100, right: 100 },
      children: [new Paragraph({ children: [new TextRun({ text, size: 24, bold: o.bold ?? false, font: o.bold ? HEITI : FANGSONG })] })],
    });
  const table = (widths: number[], head: string[], rows: string[][]) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: head.map((h, i) => cell(h, { bold: true, width: widths[i]! })) }),
        ...rows.map((row) => new TableRow({ children: row.map((v, i) => cell(v, { width: widths[i]! })) })),
      ],
    });
  const heading = (t: string) => para(t, { font: HEITI, before: 280, after: 120 });
  const doc = new Document({
    creator: '智慧工会服务平台',
    title: `${r.employerName}法治体检报告`,
    sections: [
      {
        properties: { page: PAGE },
        children: [
          para(r.issuer, { size: 64, font: XIAOBIAOSONG, align: AlignmentType.CENTER, color: 'C8161D', before: 600, after: 400 }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 400 },
            border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: 'C8161D', space: 8 } },
            children: [],
          }),
          para(r.reportNo, { align: AlignmentType.CENTER, after: 400 }),
          para(`${r.employerName}法治体检报告`, { size: SIZE_2, font: XIAOBIAOSONG, align: AlignmentType.CENTER, after: 560 }),
          heading('一、基本情况'),
          para(
            `${dateCn(r.checkedOn)}，${r.issuer}组织${r.inspectors.join('、') || '工会法律工作者'}对${r.employerName}开展劳动用工法治体检，对照体检清单逐项检查。`,
            { indent: true },
          ),
          heading('二、体检结论'),
          table(
            [30, 16, 54],
            ['体检项目', '结论', '情况说明'],
            r.findings.map((f) => [f.title, f.resultLabel, f.note || '—']),
          ),
          para(`综合评定风险等级：${r.riskLabel}。`, { indent: true, before: 200 }),
          para(r.summary, { indent: true }),
          heading('三、整改清单'),
          ...(r.rectifications.length
            ? [
                table(
                  [44, 18, 20, 18],
                  ['整改事项', '责任人', '整改期限', '状态'],
                  r.rectifications.map((x) => [x.task, x.owner, dateCn(x.dueOn), x.statusLabel]),
                ),
              ]
            : [para('本次体检未发现需要整改的事项。', { indent: true })]),
          ...(r.closingNote ? [heading('四、跟进与办结'), para(r.closingNote, { indent: true })] : []),
          para(r.issuer, { align: AlignmentType.RIGHT, before: 1120 }),
          para(dateCn(r.issuedOn), { align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
