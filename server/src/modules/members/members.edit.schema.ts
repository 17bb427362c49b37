// Request bodies of a staff member's one-member edits from the console (members.edit.ts): add one
// member, correct contact and employment, correct a name or ID number (reason and evidence), start a
// transfer. The same field rules as imports and join applications (personInput, employmentInput).
import { z } from 'zod';
import { dateField, idField, mobileField, versionField } from '../../platform/fields.js';
import { canonicalIdNumber, normalisePersonName, parseResidentId } from '../../platform/validators.js';
import { EDUCATION, POLITICAL_STATUS, ID_TYPES, employmentFormEnum, employmentInput, personInput } from './members.schema.js';

const reason = z.string({ error: '请填写原因' }).trim().min(2, '请填写原因（至少 2 个字）').max(200, '原因不能超过 200 个字');
const optionalText = (max: number, what: string) => z.string().trim().max(max, `${what}不能超过 ${max} 个字`).nullable().optional();

export const addMemberBody = z.strictObject({
  orgId: idField('工会'),
  person: personInput,
  employment: employmentInput.default({ employmentForm: 'standard', isMigrantWorker: false, isModelWorker: false }),
  joinedOn: dateField('入会日期').optional(),
  reason: z.string().trim().max(200, '备注不能超过 200 个字').optional(),
});
export type AddMemberInput = z.output<typeof addMemberBody>;

/** Contact and employment; absent fields stay as they are, `null` clears an optional one. */
export const editMemberBody = z
  .strictObject({
    version: versionField(),
    phone: mobileField().optional(),
    employerName: optionalText(100, '工作单位'),
    jobTitle: optionalText(50, '职务'),
    employmentForm: employmentFormEnum.optional(),
    skillGrade: optionalText(20, '技能等级'),
    isMigrantWorker: z.boolean().optional(),
    isFrontline: z.boolean().optional(),
    education: z.enum(EDUCATION, { error: '学历无效' }).nullable().optional(),
    politicalStatus: z.enum(POLITICAL_STATUS, { error: '政治面貌无效' }).nullable().optional(),
    emergencyContactName: optionalText(30, '紧急联系人'),
    emergencyContactPhone: mobileField().nullable().optional(),
    reason: z.string().trim().max(200, '备注不能超过 200 个字').optional(),
  })
  .refine((v) => Object.keys(v).some((k) => k !== 'version' && k !== 'reason'), { message: '没有要修改的内容' });
export type EditMemberInput = z.output<typeof editMemberBody>;

/**
 * A correction of the person's name and/or ID number: a sensitive change, so a reason and the
 * evidence seen (户口簿、身份证 … as a note) are required. For a resident ID, sex and birth date
 * follow the corrected number.
 */
export const correctIdentityBody = z
  .strictObject({
    version: versionField(),
    name: z
      .string()
      .transform((v, ctx) => {
        const n = normalisePersonName(v);
        if (!n) ctx.addIssue({ code: 'custom', message: '姓名应为 2-30 个汉字（少数民族姓名可含“·”）或英文字母' });
        return n ?? v;
      })
      .optional(),
    idType: z.enum(Object.keys(ID_TYPES) as [keyof typeof ID_TYPES, ...(keyof typeof ID_TYPES)[]], { error: '证件类型无效' }).optional(),
    idNumber: z.string().max(40).optional(),
    reason,
    evidence: z
      .string({ error: '请填写核验的证明材料' })
      .trim()
      .min(4, '请填写核验的证明材料（如：户口簿、身份证原件已核验）')
      .max(300, '证明材料说明不能超过 300 个字'),
  })
  .transform((v, ctx) => {
    if (v.name === undefined && v.idNumber === undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: '请填写更正后的姓名或证件号码' });
    if (v.idNumber === undefined) return { ...v, id: null };
    const idType = v.idType ?? 'resident_id';
    let number = canonicalIdNumber(v.idNumber);
    let sex: 'M' | 'F' | null = null;
    let birthDate: string | null = null;
    if (idType === 'resident_id') {
      const parsed = parseResidentId(number);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', path: ['idNumber'], message: parsed });
        return z.NEVER;
      }
      ({ number, sex, birthDate } = parsed);
    } else if (!/^[A-Z0-9]{5,30}$/.test(number)) {
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '证件号码格式错误' });
      return z.NEVER;
    }
    return { ...v, id: { idType, number, sex, birthDate } };
  });
export type CorrectIdentityInput = z.output<typeof correctIdentityBody>;

export const transferMemberBody = z.strictObject({
  version: versionField(),
  toOrgId: idField('转入工会'),
  reason,
  employerName: optionalText(100, '工作单位'),
});
export type TransferMemberInput = z.output<typeof transferMemberBody>;
