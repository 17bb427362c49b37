import { z } from 'zod';
import type { EmploymentForm, MembershipStatus } from '../../db/schema.js';
import { canonicalIdNumber, normalisePersonName, parseResidentId } from '../../platform/validators.js';
import { dateField, mobileField } from '../../platform/fields.js';

export const EMPLOYMENT_FORMS: Record<EmploymentForm, string> = {
  standard: '标准劳动关系',
  truck_driver: '货车司机',
  ride_hailing: '网约车司机',
  courier: '快递员',
  food_delivery: '外卖配送员',
  other_gig: '其他新就业形态',
};

export const MEMBERSHIP_STATUSES: Record<MembershipStatus, string> = {
  active: '在会',
  retained: '保留会籍',
  transferred_out: '已转出',
  left: '已退会',
};

export const ID_TYPES = {
  resident_id: '居民身份证',
  hk_macao_permit: '港澳居民居住证',
  taiwan_permit: '台湾居民居住证',
  passport: '护照',
  foreign_permanent: '外国人永久居留身份证',
} as const;

export const EDUCATION = ['小学及以下', '初中', '高中/中专/技校', '大专', '本科', '硕士研究生', '博士研究生'] as const;
export const POLITICAL_STATUS = ['中共党员', '中共预备党员', '共青团员', '民主党派', '群众'] as const;

const employmentFormEnum = z.enum(Object.keys(EMPLOYMENT_FORMS) as [EmploymentForm, ...EmploymentForm[]], { error: '就业形态无效' });

/** As typed (+86, spaces, hyphens, full-width) → stored `13812345678`. */
const phone = mobileField();

/**
 * A person as a union records them (实名制). For a resident ID the sex and birth date come
 * from the number; given ones must agree with it.
 */
export const personInput = z
  .strictObject({
    idType: z.enum(Object.keys(ID_TYPES) as [keyof typeof ID_TYPES, ...(keyof typeof ID_TYPES)[]], { error: '证件类型无效' }).default('resident_id'),
    idNumber: z.string({ error: '请填写证件号码' }).min(1, '请填写证件号码').max(40),
    name: z.string({ error: '请填写姓名' }).transform((v, ctx) => {
      const n = normalisePersonName(v);
      if (!n) ctx.addIssue({ code: 'custom', message: '姓名应为 2-30 个汉字（少数民族姓名可含“·”）或英文字母' });
      return n ?? v;
    }),
    sex: z.enum(['M', 'F'], { error: '性别无效' }).optional(),
    birthDate: dateField('出生日期').optional(),
    ethnicity: z.string().trim().max(20).optional(),
    phone,
    education: z.enum(EDUCATION, { error: '学历无效' }).optional(),
    politicalStatus: z.enum(POLITICAL_STATUS, { error: '政治面貌无效' }).optional(),
    hukouType: z.enum(['urban', 'rural'], { error: '户籍类型无效' }).optional(),
    hukouRegion: z.string().trim().max(100).optional(),
    emergencyContactName: z.string().trim().max(30).optional(),
    emergencyContactPhone: phone.optional(),
  })
  .transform((v, ctx) => {
    let sex = v.sex ?? null;
    let birthDate = v.birthDate ?? null;
    let idNumber = canonicalIdNumber(v.idNumber);
    if (v.idType === 'resident_id') {
      const parsed = parseResidentId(idNumber);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', path: ['idNumber'], message: parsed });
        return z.NEVER;
      }
      idNumber = parsed.number;
      if (sex && sex !== parsed.sex) ctx.addIssue({ code: 'custom', path: ['sex'], message: '性别与身份证号不一致' });
      if (birthDate && birthDate !== parsed.birthDate) ctx.addIssue({ code: 'custom', path: ['birthDate'], message: '出生日期与身份证号不一致' });
      sex = parsed.sex;
      birthDate = parsed.birthDate;
    } else if (!/^[A-Z0-9]{5,30}$/.test(idNumber)) {
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '证件号码格式错误' });
    }
    return { ...v, idNumber, sex, birthDate };
  });

export type PersonInput = z.output<typeof personInput>;

/** What a membership records about the job. */
export const employmentInput = z.strictObject({
  employerName: z.string().trim().max(100, '工作单位不能超过 100 个字').optional(),
  jobTitle: z.string().trim().max(50).optional(),
  employmentForm: employmentFormEnum.default('standard'),
  skillGrade: z.string().trim().max(20).optional(),
  isMigrantWorker: z.boolean().default(false),
  isModelWorker: z.boolean().default(false),
  /** 一线职工: read by activity batches limited to front-line workers (migration 027). */
  isFrontline: z.boolean().optional(),
});
export type EmploymentInput = z.output<typeof employmentInput>;

export const memberStatusEnum = z.enum(Object.keys(MEMBERSHIP_STATUSES) as [MembershipStatus, ...MembershipStatus[]]);
export { employmentFormEnum };

/** The H5 claim (decision 044): the ID number of the person whose typed phone is the worker's login phone. */
export const claimBody = z.strictObject({ idNumber: z.string({ error: '请填写证件号码' }).trim().min(1, '请填写证件号码').max(40, '证件号码过长') });
