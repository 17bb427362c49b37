import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { amountField } from '../../platform/money.js';
import { ACHIEVEMENT_KIND_CODES, PROBLEM_STATUS_CODES, STUDIO_KIND_CODES, STUDIO_LEVEL_CODES } from './models.constants.js';

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, min > 1 ? `${label}应为 ${min}–${max} 个字` : `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .nullish();
const yearField = (label: string) => z.coerce.number({ error: `${label}应为年份` }).int(`${label}应为年份`).min(1990, `${label}无效`).max(2100, `${label}无效`);

export const studioBody = z.strictObject({
  orgId: idField('管理工会'),
  kind: z.enum(STUDIO_KIND_CODES, { error: '工作室类别无效' }),
  name: text('工作室名称', 2, 60),
  leadId: idField('领衔人').nullish(),
  enterpriseId: idField('所在企业').nullish(),
  field: text('专业领域', 1, 40),
  level: z.enum(STUDIO_LEVEL_CODES, { error: '命名级别无效' }),
  namedYear: yearField('命名年份'),
  members: z.number({ error: '成员人数应为整数' }).int('成员人数应为整数').min(0, '成员人数无效').max(10000, '成员人数无效').default(0),
});
export type StudioInput = z.infer<typeof studioBody>;

export const studioListQuery = z.strictObject({
  q: z.string().trim().max(30, '搜索词过长').optional(),
  kind: z.enum(STUDIO_KIND_CODES, { error: '工作室类别无效' }).optional(),
  level: z.enum(STUDIO_LEVEL_CODES, { error: '命名级别无效' }).optional(),
  orgId: idField('工会').optional(),
  ...pageQuery,
});

export const achievementBody = z
  .strictObject({
    kind: z.enum(ACHIEVEMENT_KIND_CODES, { error: '成果类别无效' }),
    title: text('成果名称', 2, 100),
    year: yearField('年份'),
    benefit: amountField('创效金额').nullish(),
    note: optionalText('说明', 300),
    // 创新成果积分 (migration 048): the credited person (the studio's lead when absent), patent type, award level
    personId: idField('成果完成人').nullish(),
    patentType: z.enum(['invention', 'utility', 'design'], { error: '专利类型应为 发明、实用新型 或 外观设计' }).nullish(),
    awardLevel: z.enum(['national', 'provincial', 'city', 'county'], { error: '获奖级别无效' }).nullish(),
  })
  .refine((a) => a.kind !== 'patent' || !!a.patentType, { message: '专利成果请选择专利类型', path: ['patentType'] })
  .refine((a) => a.kind === 'patent' || !a.patentType, { message: '只有专利成果需要选择专利类型', path: ['patentType'] });
export type AchievementInput = z.infer<typeof achievementBody>;

export const problemBody = z.strictObject({
  enterpriseId: idField('企业'),
  title: text('难题名称', 4, 80),
  field: text('专业领域', 1, 40),
  description: text('难题描述', 10, 2000),
  deadline: dateField('期望解决日期'),
});
export type ProblemInput = z.infer<typeof problemBody>;

export const problemListQuery = z.strictObject({
  q: z.string().trim().max(30, '搜索词过长').optional(),
  status: z.enum(PROBLEM_STATUS_CODES, { error: '状态无效' }).optional(),
  studioId: idField('工作室').optional(),
  orgId: idField('工会').optional(),
  ...pageQuery,
});

export const claimBody = z
  .strictObject({ studioId: idField('工作室').nullish(), solverId: idField('劳模工匠').nullish(), version: versionField() })
  .refine((b) => !!b.studioId !== !!b.solverId, { message: '请选择揭榜的工作室或劳模工匠（二选一）', path: ['studioId'] });
export const recordBody = z.strictObject({
  kind: z.enum(['visit', 'work', 'note'], { error: '记录类别无效' }),
  onDay: dateField('日期'),
  text: text('记录内容', 2, 1000),
});
export const solveBody = z.strictObject({
  result: text('攻关成果', 4, 2000),
  peopleInvolved: z.number({ error: '参与人数应为整数' }).int('参与人数应为整数').min(1, '参与人数至少 1 人').max(1000, '参与人数过多'),
  version: versionField(),
});
export const confirmBody = z.strictObject({
  accept: z.boolean({ error: '请选择确认解决或退回' }),
  confirmedBy: text('企业确认人', 2, 30),
  note: optionalText('企业意见', 500),
  version: versionField(),
});
export const withdrawBody = z.strictObject({ reason: text('撤回原因', 2, 200), version: versionField() });
export const figuresQuery = z.strictObject({ orgId: idField('工会').optional(), year: yearField('年度').optional() });

export const lecturerBody = z.strictObject({
  orgId: idField('所属工会'),
  kind: z.enum(['model_teacher', 'worker_speaker', 'ideology_teacher'], { error: '宣讲员类别应为 劳模名师、职工名嘴 或 思政教师' }),
  name: text('姓名', 2, 30),
  modelPersonId: idField('劳模工匠').nullish(),
  topic: optionalText('宣讲主题', 100),
});
export const lectureBody = z.strictObject({
  activityId: idField('活动'),
  lecturerId: idField('宣讲员'),
  venueKind: z.enum(['school', 'enterprise'], { error: '场所应为 学校 或 企业' }),
  venueName: text('场所名称', 2, 60),
});
export const plainPageQuery = z.strictObject({ ...pageQuery });
export const lecturerListQuery = z.strictObject({ q: z.string().trim().max(30, '搜索词过长').optional(), ...pageQuery });
