import { z } from 'zod';
import { idField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { EDUCATION, EMPLOYMENT_FORMS, ID_TYPES, POLITICAL_STATUS } from '../members/members.schema.js';

/** The template's columns, in order: header, the input field it fills, and the 填写说明 line. */
export const IMPORT_COLUMNS = [
  { header: '姓名', field: 'name', required: true, help: '必填。2-30 个汉字（少数民族姓名可含“·”）或英文字母，不能含数字。' },
  { header: '证件类型', field: 'idType', required: false, help: `可选：${Object.values(ID_TYPES).join('、')}。不填默认为居民身份证。` },
  { header: '证件号码', field: 'idNumber', required: true, help: '必填。居民身份证号为 18 位，校验位须正确；请将单元格设为文本，以免被转成科学计数法。' },
  { header: '手机号', field: 'phone', required: true, help: '必填。11 位大陆手机号。' },
  { header: '性别', field: 'sex', required: false, help: '男 / 女。居民身份证可不填（以证件号为准），填写时须与证件号一致。' },
  { header: '出生日期', field: 'birthDate', required: false, help: '格式 YYYY-MM-DD。居民身份证可不填，填写时须与证件号一致。' },
  { header: '民族', field: 'ethnicity', required: false, help: '如：汉族。' },
  { header: '学历', field: 'education', required: false, help: `可选：${EDUCATION.join('、')}。` },
  { header: '政治面貌', field: 'politicalStatus', required: false, help: `可选：${POLITICAL_STATUS.join('、')}。` },
  { header: '户籍类型', field: 'hukouType', required: false, help: '城镇 / 农村。' },
  { header: '户籍地', field: 'hukouRegion', required: false, help: '如：江苏省盐城市东台市。' },
  { header: '工作单位', field: 'employerName', required: false, help: '不超过 100 个字。' },
  { header: '职务/岗位', field: 'jobTitle', required: false, help: '不超过 50 个字。' },
  { header: '就业形态', field: 'employmentForm', required: false, help: `可选：${Object.values(EMPLOYMENT_FORMS).join('、')}。不填默认为标准劳动关系。` },
  { header: '技能等级', field: 'skillGrade', required: false, help: '如：高级工、技师。' },
  { header: '是否农民工', field: 'isMigrantWorker', required: false, help: '是 / 否，不填为否。' },
  {
    header: '是否劳模',
    field: 'isModelWorker',
    required: false,
    help: '不再导入：劳模身份以“劳模工匠”名册为准（名册登记后自动标记）。旧模板保留此列不影响导入。',
  },
  { header: '是否一线职工', field: 'isFrontline', required: false, help: '是 / 否，不填为否（活动批次可限一线职工报名）。' },
  { header: '入会日期', field: 'joinedOn', required: false, help: '格式 YYYY-MM-DD，不能晚于今天；不填为导入当天。' },
  { header: '紧急联系人', field: 'emergencyContactName', required: false, help: '不超过 30 个字。' },
  { header: '紧急联系人电话', field: 'emergencyContactPhone', required: false, help: '11 位大陆手机号。' },
] as const;

export type ImportField = (typeof IMPORT_COLUMNS)[number]['field'];

export const IMPORT_HEADERS = IMPORT_COLUMNS.map((c) => c.header);
export const HEADER_OF = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.field, c.header])) as Record<ImportField, string>;
export const ERROR_COLUMN = '错误原因';

export const IMPORT_JOB_STATUSES = { queued: '排队中', running: '导入中', done: '已完成', failed: '失败' } as const;

const id = idField('组织');

export const templateQuery = z.strictObject({
  format: z.enum(['xlsx', 'csv'], { error: '模板格式应为 xlsx 或 csv' }).default('xlsx'),
});

export const uploadQuery = z.strictObject({
  orgId: id,
  fileName: z
    .string({ error: '请提供文件名' })
    .trim()
    .min(1, '请提供文件名')
    .max(200, '文件名不能超过 200 个字')
    .refine((v) => /\.(xlsx|csv)$/i.test(v), '只支持 .xlsx 或 .csv 文件（.xls 请另存为 .xlsx）'),
});

export const jobsQuery = z.strictObject({ ...pageQuery });

export const importJobDto = z.object({
  id: z.string(),
  org: z.object({ id: z.string(), name: z.string() }),
  fileName: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  statusLabel: z.string(),
  total: z.number().int().nullable(),
  processed: z.number().int(),
  added: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  uploadedBy: z.string().nullable(),
  message: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  errorReportAvailable: z.boolean(),
});
export type ImportJobDto = z.infer<typeof importJobDto>;
