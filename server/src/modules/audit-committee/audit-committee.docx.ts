// The 经费审查报告 (.docx, GB/T 9704): the committee's 版头, the project, the findings table and the
// 整改四联清单 (问题 → 任务 → 责任 → 整改) with the state of each task.
import { HEITI, PAGE, SIZE_2, XIAOBIAOSONG, dateCn, gbt9704Kit } from '../../platform/gbt9704.js';

export interface AuditReport {
  no: string;
  title: string;
  kindLabel: string;
  org: { name: string };
  auditedOrg: { name: string };
  periodFrom: string;
  periodTo: string;
  team: string;
  amount: string;
  rectificationRate: number | null;
  today: string;
  findings: {
    categoryLabel: string;
    description: string;
    amount: string;
    severityLabel: string;
    responsiblePerson: string;
    task: { task: string; owner: string; deadline: string; statusLabel: string; overdue: boolean; evidence: string | null; interviews: unknown[] };
  }[];
}

export async function auditReportDocx(p: AuditReport): Promise<Buffer> {
  const { AlignmentType, Document, Packer, para, redHeader, table } = await gbt9704Kit();
  const doc = new Document({
    creator: '智慧工会服务平台',
    title: `经费审查报告 ${p.no}`,
    sections: [
      {
        properties: { page: PAGE },
        children: [
          ...redHeader(`${p.org.name}经费审查委员会`),
          para(`经审〔${p.periodTo.slice(0, 4)}〕${p.no}号`, { align: AlignmentType.CENTER, after: 400 }),
          para(`关于${p.auditedOrg.name}${p.kindLabel}的报告`, { size: SIZE_2, font: XIAOBIAOSONG, align: AlignmentType.CENTER, after: 400 }),
          para(
            `根据工会经费审查工作安排，审计组（${p.team}）对${p.auditedOrg.name}${dateCn(p.periodFrom)}至${dateCn(p.periodTo)}的工会经费收支及管理情况进行了${p.kindLabel}（${p.title}）。现将有关情况报告如下。`,
            { indent: true },
          ),
          para('一、发现的主要问题', { font: HEITI, before: 200 }),
          para(`共发现问题 ${p.findings.length} 个，涉及金额 ${p.amount} 元。`, { indent: true }),
          ...p.findings.map((f, i) => para(`${i + 1}. 【${f.categoryLabel}·${f.severityLabel}】${f.description}（涉及金额 ${f.amount} 元，第一责任人 ${f.responsiblePerson}）`, { indent: true })),
          para('二、整改四联清单', { font: HEITI, before: 200, after: 200 }),
          table(
            [6, 26, 26, 14, 14, 14],
            ['序号', '问题清单', '任务清单', '责任清单', '期限', '整改清单'],
            p.findings.map((f, i) => [
              String(i + 1),
              f.description,
              f.task.task,
              `${f.task.owner}（第一责任人 ${f.responsiblePerson}）`,
              f.task.deadline,
              `${f.task.statusLabel}${f.task.overdue ? '（已逾期）' : ''}${f.task.interviews.length ? `，约谈 ${f.task.interviews.length} 次` : ''}`,
            ]),
          ),
          para('三、整改情况', { font: HEITI, before: 200 }),
          para(`截至${dateCn(p.today)}，整改销号率 ${p.rectificationRate === null ? '—' : `${p.rectificationRate}%`}。逾期未整改的，经审委员会依《审计整改四联清单管理办法》约谈第一责任人。`, { indent: true }),
          para(`${p.org.name}经费审查委员会`, { align: AlignmentType.RIGHT, before: 600 }),
          para(dateCn(p.today), { align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
