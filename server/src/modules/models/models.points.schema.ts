// Request shapes of 创新成果积分, studio evaluations and evidence files, the competition catalogue and 技能等级 results.
import { z } from 'zod';
import { idField, versionField } from '../../platform/fields.js';
import { amountField } from '../../platform/money.js';
import { pageQuery } from '../../platform/pagination.js';

const pts = (label: string) => z.number({ error: `${label}应为整数` }).int(`${label}应为整数`).min(0, `${label}不能为负`).max(1000, `${label}最多 1000 分`);
const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, min > 1 ? `${label}应为 ${min}–${max} 个字` : `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const yearField = (label: string) => z.coerce.number({ error: `${label}应为年份` }).int(`${label}应为年份`).min(2000, `${label}无效`).max(2100, `${label}无效`);

export const pointsTableBody = z.strictObject({
  kinds: z.strictObject({ patent: pts('专利基础分'), innovation: pts('技术革新'), five_small: pts('五小成果'), apprentice: pts('培养徒弟'), benefit: pts('创效基础分') }),
  award: z.strictObject({ national: pts('国家级奖励'), provincial: pts('省级奖励'), city: pts('市级奖励'), county: pts('县级奖励') }),
  patent: z.strictObject({ invention: pts('发明专利'), utility: pts('实用新型专利'), design: pts('外观设计专利') }),
  benefit: z
    .array(z.strictObject({ min: amountField('创效金额档次'), points: pts('创效档次积分') }), { error: '请填写创效金额档次' })
    .max(10, '创效金额档次最多 10 档'),
  rankingEnabled: z.boolean({ error: '是否开启排名应为是或否' }),
  version: versionField().nullish(),
});
export type PointsTableInput = z.infer<typeof pointsTableBody>;

export const pointsQuery = z.strictObject({
  of: z.enum(['studio', 'person'], { error: '请选择按工作室或按人员' }).default('studio'),
  year: yearField('年度').optional(),
  ...pageQuery,
});

export const evaluationBody = z.strictObject({
  year: yearField('年度'),
  evaluator: text('评价单位', 2, 40),
  scores: z
    .array(z.strictObject({ code: z.string().max(20), score: z.number({ error: '得分应为整数' }).int('得分应为整数').min(0, '得分不能为负') }), { error: '请逐项打分' })
    .min(1, '请逐项打分')
    .max(10),
});

export const fileQuery = z.strictObject({ fileName: z.string().trim().min(1).max(200).optional() });
export const achievementParams = z.strictObject({ id: idField(), achievementId: idField() });
export const achievementFileParams = z.strictObject({ id: idField(), achievementId: idField(), fileId: idField() });

const LEVELS = ['national', 'provincial', 'city', 'county'] as const;
export const competitionBody = z.strictObject({
  name: text('竞赛名称', 2, 80),
  level: z.enum(LEVELS, { error: '竞赛级别无效' }),
  category: z.enum(['class1', 'class2', 'other'], { error: '竞赛类别应为 一类、二类 或 其他' }),
  trade: text('职业（工种）', 1, 40),
  organiser: text('主办单位', 2, 60),
  mapsTo: z.enum(['skill_level', 'title', 'none'], { error: '成绩对应应为 技能等级、职称 或 不对应' }),
  grants: z.string({ error: '可晋升等级应为文字' }).trim().max(40, '可晋升等级不能超过 40 个字').nullish(),
});
export const competitionPatch = competitionBody.partial().extend({ active: z.boolean({ error: '是否启用应为是或否' }).optional(), version: versionField() });
export const competitionListQuery = z.strictObject({
  q: z.string().trim().max(30, '搜索词过长').optional(),
  level: z.enum(LEVELS, { error: '竞赛级别无效' }).optional(),
  ...pageQuery,
});
export const competitionActivityBody = z.strictObject({ activityId: idField('活动') });
export const skillResultBody = z.strictObject({
  competitionId: idField('竞赛'),
  activityId: idField('竞赛活动').nullish(),
  year: yearField('年度'),
  placing: text('名次', 1, 20),
  grants: z.string({ error: '认定等级应为文字' }).trim().min(2, '认定等级应为 2–40 个字').max(40, '认定等级不能超过 40 个字').nullish(),
  certificateNo: z.string({ error: '证书编号应为文字' }).trim().max(40, '证书编号不能超过 40 个字').nullish(),
});
export type SkillResultInput = z.infer<typeof skillResultBody>;
