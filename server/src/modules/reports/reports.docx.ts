// The annual work report (年度工作报告) of a union as a .docx in the official-document layout
// (platform/gbt9704.ts): 版头, title, 主送, 一、基本情况 (sentences with the year's figures and a chart of new
// members per month), 二、主要工作与亮点 (the highlights staff wrote), 三、下级工会主要数据 (a table and a
// chart), 落款 and 成文日期.
import { dateCn, gbt9704Kit, HEITI, KAITI, PAGE, SIZE_2, TEXT_WIDTH_TWIPS, XIAOBIAOSONG } from '../../platform/gbt9704.js';
import type { Bar } from './reports.chart.js';

export interface AnnualReportDoc {
  orgName: string;
  parentName: string | null;
  year: number;
  issuedOn: string;
  /** The year's totals of the subtree (keys of the return's columns). */
  totals: Record<string, number>;
  highlights: string | null;
  children: { name: string; members: number; joined: number; gig: number; stations: number; aidAmount: number }[];
  charts: { monthly: { png: Buffer; bars: Bar[] }; children: { png: Buffer } | null };
}

const n = (v: number | undefined) => (v ?? 0).toLocaleString('zh-CN');
const yuan = (v: number | undefined) => (v ?? 0).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (a: number | undefined, b: number | undefined) => (b ? `${(((a ?? 0) / b) * 100).toFixed(1)}%` : '—');

/** The figures of 一、基本情况 as sentences (also what the console previews). */
export function summarySentences(year: number, t: Record<string, number>): string[] {
  return [
    `截至${year}年12月31日，共有基层工会${n(t.grassroots)}个（其中联合基层工会${n(t.joint)}个），村（社区）工会${n(t.village)}个；职工25人以上企业${n(t.eligible)}家，已建会${n(t.unionised)}家，建会率${pct(t.unionised, t.eligible)}。`,
    `年末在册会员${n(t.members)}人，其中女职工${n(t.women)}人、农民工${n(t.migrant)}人、劳动模范${n(t.model)}人；新就业形态劳动者会员${n(t.gig)}人，占${pct(t.gig, t.members)}。全年新发展会员${n(t.joined)}人，其中新就业形态劳动者${n(t.joined_gig)}人。`,
    `全年受理职工服务申请${n(t.received)}件、办结${n(t.finished)}件；年末在档困难职工${n(t.open_files)}户，本年新建档${n(t.established)}户、解困${n(t.closed)}户，发放帮扶资金${n(t.aid_times)}人次、${yuan(t.aid_amount)}元。`,
    `接待职工维权咨询${n(t.consultations)}人次，受理劳动争议调解${n(t.mediations)}件、调解成功${n(t.succeeded)}件，办理法律援助案件${n(t.legal_aid)}件，发出一函两书${n(t.letters)}件。运营中的职工之家、工会驿站等服务阵地${n(t.operating)}个，全年服务职工${n(t.visits)}人次。`,
  ];
}

export async function annualReportDocx(r: AnnualReportDoc): Promise<Buffer> {
  const { AlignmentType, Document, ImageRun, Packer, Paragraph, para, redHeader, table } = await gbt9704Kit();
  const heading = (t: string) => para(t, { font: HEITI, before: 200 });
  // The chart at the type area's width (156 mm ≈ 590 px at 96 dpi), 2:1.
  const imgW = Math.round((TEXT_WIDTH_TWIPS / 1440) * 96);
  const image = (png: Buffer) =>
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 120, after: 120 },
      children: [new ImageRun({ type: 'png', data: png, transformation: { width: imgW, height: Math.round(imgW / 2) } })],
    });
  const caption = (t: string) => para(t, { font: KAITI, align: AlignmentType.CENTER, size: 28, after: 120 });
  const highlights = (r.highlights ?? '')
    .split(/\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const doc = new Document({
    creator: '智慧工会服务平台',
    title: `${r.orgName}${r.year}年度工作报告`,
    sections: [
      {
        properties: { page: PAGE },
        children: [
          ...redHeader(r.orgName),
          para(`${r.orgName}${r.year}年度工作报告`, { size: SIZE_2, font: XIAOBIAOSONG, align: AlignmentType.CENTER, after: 560 }),
          ...(r.parentName ? [para(`${r.parentName}：`, { align: AlignmentType.LEFT })] : []),
          para(`现将${r.orgName}${r.year}年度工作情况报告如下。`, { indent: true }),
          heading('一、基本情况'),
          ...summarySentences(r.year, r.totals).map((s) => para(s, { indent: true })),
          image(r.charts.monthly.png),
          caption(`图1  ${r.year}年各月新发展会员（人）`),
          heading('二、主要工作与亮点'),
          ...(highlights.length ? highlights.map((h) => para(h, { indent: true })) : [para('（本年度工作亮点尚未填写。）', { indent: true })]),
          ...(r.children.length
            ? [
                heading('三、下级工会主要数据'),
                table(
                  [30, 14, 14, 14, 12, 16],
                  ['单位', '会员总数', '本年新发展', '新就业形态', '服务阵地', '帮扶资金（元）'],
                  r.children.map((c) => [c.name, n(c.members), n(c.joined), n(c.gig), n(c.stations), yuan(c.aidAmount)]),
                  ['left', 'right', 'right', 'right', 'right', 'right'],
                ),
                ...(r.charts.children ? [image(r.charts.children.png), caption('图2  下级工会年末会员总数（人）')] : []),
              ]
            : []),
          para('本报告数据由智慧工会服务平台根据业务记录生成，口径见同年度《工会统计年报》各表说明。', { indent: true, before: 200 }),
          para(r.orgName, { align: AlignmentType.RIGHT, before: 1120 }),
          para(dateCn(r.issuedOn), { align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
