import { z } from 'zod';
import { idField, mobileField, versionField } from '../../platform/fields.js';
import { TOPIC_CODES } from '../rights/rights.constants.js';
import { pageQuery } from '../../platform/pagination.js';
import { FACILITY_CODES, SERVICE_CODES, STATION_TYPE_CODES, STATUS_CODES } from './stations.constants.js';

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .nullish();

export const typeEnum = z.enum(STATION_TYPE_CODES, { error: '阵地类型无效' });
export const statusEnum = z.enum(STATUS_CODES, { error: '状态无效' });
const facilityEnum = z.enum(FACILITY_CODES, { error: '设施无效' });
const serviceEnum = z.enum(SERVICE_CODES, { error: '服务项目无效' });

const hhmm = z.string({ error: '时间应为 HH:MM' }).regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, '时间应为 HH:MM（如 08:30）');
const span = z.strictObject({ open: hhmm, close: hhmm }).refine((s) => s.open !== s.close, { message: '开门与关门时间不能相同', path: ['close'] });
export const hoursField = z.strictObject(
  {
    allDay: z.boolean({ error: '请说明是否 24 小时开放' }),
    days: z.array(span.nullable(), { error: '请填写每周七天的开放时间' }).length(7, '请填写每周七天（周一至周日）的开放时间'),
  },
  { error: '请填写开放时间' },
);

export const longitudeField = z.coerce.number({ error: '经度应为数字' }).min(73, '经度超出中国范围').max(136, '经度超出中国范围');
export const latitudeField = z.coerce.number({ error: '纬度应为数字' }).min(3, '纬度超出中国范围').max(54, '纬度超出中国范围');
const phoneField = z
  .string({ error: '联系电话应为文字' })
  .trim()
  .regex(/^[0-9-]{7,20}$/, '联系电话应为数字（可含 -）')
  .nullish();

const stationFields = {
  orgId: idField('所属工会'),
  type: typeEnum,
  name: text('阵地名称', 2, 60),
  address: text('地址', 2, 120),
  longitude: longitudeField,
  latitude: latitudeField,
  hours: hoursField,
  facilities: z.array(facilityEnum, { error: '设施应为列表' }).max(FACILITY_CODES.length).default([]),
  contactName: optionalText('联系人', 20),
  contactPhone: phoneField,
  description: optionalText('简介', 500),
};

export const createStationBody = z.strictObject(stationFields);
export const updateStationBody = z.strictObject({
  orgId: stationFields.orgId.optional(),
  type: typeEnum.optional(),
  name: stationFields.name.optional(),
  address: stationFields.address.optional(),
  longitude: longitudeField.optional(),
  latitude: latitudeField.optional(),
  hours: hoursField.optional(),
  facilities: z.array(facilityEnum, { error: '设施应为列表' }).max(FACILITY_CODES.length).optional(),
  contactName: stationFields.contactName,
  contactPhone: stationFields.contactPhone,
  description: stationFields.description,
  status: statusEnum.optional(),
  version: versionField(),
});
export type StationInput = z.infer<typeof createStationBody>;
export type StationPatch = z.infer<typeof updateStationBody>;

export const listQuery = z.strictObject({
  type: typeEnum.optional(),
  status: statusEnum.optional(),
  stars: z.coerce.number().int().min(0, '星级无效').max(5, '星级无效').optional(),
  orgId: idField('工会').optional(),
  q: z.string().trim().max(40, '关键词不能超过 40 个字').optional(),
  facility: facilityEnum.optional(),
  ratedYear: z.coerce.number().int().min(2000).max(2100).optional(),
  ...pageQuery,
});

export const nearbyQuery = z.strictObject({
  lat: latitudeField,
  lng: longitudeField,
  type: typeEnum.optional(),
  facility: facilityEnum.optional(),
  limit: z.coerce.number().int().min(1).max(50, '最多 50 个').default(20),
});

export const acceptanceBody = z.strictObject({
  inspector: text('验收人', 2, 40),
  note: optionalText('验收意见', 300),
});

export const ratingBody = z.strictObject({
  year: z.coerce.number({ error: '年度应为数字' }).int().min(2000, '年度无效').max(2100, '年度无效'),
  inspector: text('评定人', 2, 40),
  scores: z
    .array(z.strictObject({ code: z.string().trim().min(1).max(30), score: z.number({ error: '得分应为数字' }).min(0, '得分不能为负') }), {
      error: '请逐项打分',
    })
    .min(1, '请逐项打分')
    .max(20),
  note: optionalText('评定意见', 300),
});

export const standardBody = z.strictObject({
  requiredFacilities: z.array(facilityEnum).max(FACILITY_CODES.length),
  items: z
    .array(
      z.strictObject({
        code: z
          .string()
          .trim()
          .regex(/^[a-z][a-z0-9_]{0,29}$/, '项目编码应为小写字母、数字或下划线'),
        name: text('评分项目', 2, 30),
        maxScore: z.number({ error: '分值应为数字' }).int('分值应为整数').min(1, '分值至少 1 分').max(100, '分值最多 100 分'),
      }),
    )
    .min(1, '至少一个评分项目')
    .max(20, '评分项目最多 20 个'),
});
export const typeParam = z.strictObject({ type: typeEnum });

/** A 维权咨询 given at the site: becomes a consultation record (channel 驿站) of the site's union in modules/rights. */
const consultationFields = z.strictObject(
  {
    topic: z.enum(TOPIC_CODES, { error: '咨询类别无效' }),
    name: text('咨询人姓名', 1, 30),
    phone: z.union([z.literal('').transform(() => undefined), mobileField('联系电话')]).optional(),
    employerName: optionalText('工作单位', 100),
    summary: text('咨询内容', 2, 2000),
    answer: optionalText('解答内容', 2000),
  },
  { error: '请填写咨询记录' },
);

export const serviceRecordBody = z
  .strictObject({
    service: serviceEnum,
    count: z.number({ error: '人次应为数字' }).int('人次应为整数').min(1, '人次至少为 1').max(500, '一次最多登记 500 人次').default(1),
    note: optionalText('备注', 200),
    consultation: consultationFields.optional(),
  })
  .superRefine((b, c) => {
    if (b.service === 'consult' && !b.consultation)
      c.addIssue({ code: 'custom', path: ['consultation'], message: '维权咨询请填写咨询记录（咨询人、类别、内容）' });
    if (b.service === 'consult' && b.count !== 1) c.addIssue({ code: 'custom', path: ['count'], message: '维权咨询每次登记一人次' });
    if (b.service !== 'consult' && b.consultation) c.addIssue({ code: 'custom', path: ['consultation'], message: '只有维权咨询需要填写咨询记录' });
  });
export type ServiceRecordInput = z.output<typeof serviceRecordBody>;

/** What the scanner typed: the card's QR text (its verify link) or the bare token. */
export const cardCheckinBody = z.strictObject({
  token: z.string({ error: '请扫描会员卡二维码' }).trim().min(8, '会员卡二维码无效').max(1000, '会员卡二维码无效'),
});
export const checkinBody = z.strictObject({ t: z.string({ error: '缺少二维码令牌' }).min(8, '二维码无效').max(200, '二维码无效') });

export const figuresQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });
