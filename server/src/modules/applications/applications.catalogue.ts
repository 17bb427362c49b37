// The built-in service catalogue (city-wide, org null), seeded as reference data at every start.
// A built-in that already exists is never touched again: staff edits stay.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { applicationsRepository } from './applications.repository.js';
import { validateDefinition, type ServiceDefinition, type StepDef } from './applications.schema.js';

interface Builtin extends ServiceDefinition {
  code: string;
  name: string;
  category: string;
  description: string;
  applicantScope: 'member' | 'worker';
}

const review = (
  key: string,
  name: string,
  level: StepDef['level'],
  slaDays: number,
  actions: StepDef['actions'] = ['approve', 'return', 'reject'],
): StepDef => ({
  key,
  name,
  kind: 'review',
  level,
  permission: 'application:handle',
  slaDays,
  actions,
});

export const BUILTIN_SERVICES: Builtin[] = [
  {
    code: 'hardship_aid',
    name: '困难帮扶',
    category: '困难帮扶',
    description:
      '因病、因灾、子女就学等原因生活困难的会员，可申请生活救助、医疗救助或助学救助。基层工会初审、县级工会审核、市总工会审批，资金由县级工会帮扶资金支出。',
    applicantScope: 'member',
    form: [
      { key: 'category', label: '救助类别', type: 'select', required: true, options: ['生活救助', '医疗救助', '助学救助'] },
      { key: 'amount', label: '申请金额', type: 'amount', required: true, min: 1, max: 20000 },
      { key: 'reason', label: '困难情况说明', type: 'textarea', required: true, maxLength: 1000 },
    ],
    attachments: [
      { key: 'proof', label: '困难证明', required: true, kinds: ['image', 'pdf'], maxCount: 5 },
      { key: 'other', label: '其他证明材料', required: false, kinds: ['image', 'pdf'], maxCount: 10 },
    ],
    steps: [
      review('grassroots_review', '基层工会初审', 'grassroots', 5, ['approve', 'return', 'reject']),
      review('county_review', '县级工会审核', 'county', 5, ['approve', 'return', 'reject', 'transfer']),
      review('city_approval', '市总工会审批', 'city', 5, ['approve', 'return', 'reject']),
    ],
    aid: { fundField: 'category', amountField: 'amount', payLevel: 'county', maxAmount: '20000.00' },
  },
  {
    code: 'legal_aid',
    name: '法律援助',
    category: '法律服务',
    description: '职工在劳动报酬、劳动合同、工伤、社会保险等方面遇到法律问题，可申请工会法律援助（法律咨询、代写文书、代理仲裁或诉讼）。',
    applicantScope: 'worker',
    form: [
      { key: 'disputeType', label: '纠纷类型', type: 'select', required: true, options: ['劳动报酬', '劳动合同', '工伤', '社会保险', '其他'] },
      { key: 'employer', label: '用人单位', type: 'text', required: true, maxLength: 100 },
      { key: 'facts', label: '基本事实与诉求', type: 'textarea', required: true, maxLength: 2000 },
      { key: 'contactPhone', label: '联系电话', type: 'phone', required: true },
    ],
    attachments: [{ key: 'evidence', label: '证据材料', required: false, kinds: ['image', 'pdf'], maxCount: 10 }],
    steps: [
      review('accept', '基层工会受理', 'grassroots', 3, ['approve', 'return', 'reject', 'transfer']),
      review('legal_review', '县级工会法律援助审查', 'county', 5),
    ],
    aid: null,
  },
  {
    code: 'rights',
    name: '维权申请',
    category: '权益维护',
    description: '职工合法权益受到侵害（欠薪、违法解除、超时加班、安全卫生等），可向工会提出维权申请，工会协调处理并反馈结果。',
    applicantScope: 'worker',
    form: [
      { key: 'issue', label: '诉求类型', type: 'select', required: true, options: ['欠薪', '违法解除劳动合同', '超时加班', '劳动安全卫生', '其他'] },
      { key: 'counterparty', label: '对方单位', type: 'text', required: true, maxLength: 100 },
      { key: 'facts', label: '事实与诉求', type: 'textarea', required: true, maxLength: 2000 },
    ],
    attachments: [{ key: 'evidence', label: '证据材料', required: false, kinds: ['image', 'pdf'], maxCount: 10 }],
    steps: [review('accept', '基层工会受理', 'grassroots', 3, ['approve', 'return', 'reject', 'transfer']), review('handle', '县级工会协调处理', 'county', 10)],
    aid: null,
  },
  {
    code: 'counselling',
    name: '心理咨询',
    category: '心理关爱',
    description: '预约工会心理咨询服务（面谈、电话或线上），由县级工会职工服务中心安排咨询师并确认时间。',
    applicantScope: 'worker',
    form: [
      { key: 'preferredDate', label: '期望日期', type: 'date', required: true },
      { key: 'preferredTime', label: '期望时段', type: 'select', required: true, options: ['上午', '下午', '晚上'] },
      { key: 'mode', label: '咨询方式', type: 'select', required: true, options: ['面谈', '电话', '线上'] },
      { key: 'concern', label: '想咨询的问题（选填）', type: 'textarea', required: false, maxLength: 500 },
    ],
    attachments: [],
    steps: [review('confirm', '县级工会预约确认', 'county', 2, ['approve', 'return', 'reject', 'transfer'])],
    aid: null,
  },
  {
    code: 'education_dream',
    name: '求学圆梦',
    category: '助学',
    description:
      '资助职工参加学历提升教育（大专、本科）。基层工会审核资格；申请人数超过名额时由县级工会公开抽签（种子公开，可复核），中签者经县级工会确认资助。',
    applicantScope: 'member',
    form: [
      { key: 'level', label: '学历层次', type: 'select', required: true, options: ['大专', '本科'] },
      { key: 'school', label: '就读院校', type: 'text', required: true, maxLength: 60 },
      { key: 'major', label: '专业', type: 'text', required: true, maxLength: 60 },
      { key: 'tuition', label: '学费（元）', type: 'amount', required: true, min: 1, max: 50000 },
    ],
    attachments: [{ key: 'admission', label: '录取通知书', required: true, kinds: ['image', 'pdf'], maxCount: 2 }],
    steps: [
      review('eligibility', '基层工会资格审核', 'grassroots', 5),
      {
        key: 'lottery',
        name: '县级工会名额抽签',
        kind: 'lottery',
        level: 'county',
        permission: 'application:handle',
        slaDays: 10,
        actions: ['reject'],
        places: 30,
      },
      review('confirm', '县级工会资助确认', 'county', 5),
    ],
    aid: null,
  },
  {
    code: 'mutual_claim',
    name: '互助保障理赔',
    category: '互助保障',
    description: '参加职工互助保障的会员因住院、意外伤害或重大疾病，可申请理赔。基层工会初审，市总工会理赔审核。',
    applicantScope: 'member',
    form: [
      { key: 'claimType', label: '理赔类型', type: 'select', required: true, options: ['住院医疗', '意外伤害', '重大疾病'] },
      { key: 'hospital', label: '就诊医院', type: 'text', required: true, maxLength: 60 },
      { key: 'occurredOn', label: '发生日期', type: 'date', required: true },
      { key: 'amount', label: '申请金额', type: 'amount', required: true, min: 1, max: 200000 },
      { key: 'note', label: '情况说明', type: 'textarea', required: false, maxLength: 1000 },
    ],
    attachments: [
      { key: 'diagnosis', label: '病历或诊断证明', required: true, kinds: ['image', 'pdf'], maxCount: 5 },
      { key: 'receipts', label: '费用票据', required: true, kinds: ['image', 'pdf'], maxCount: 20 },
    ],
    steps: [review('grassroots_review', '基层工会初审', 'grassroots', 5), review('claim_review', '市总工会理赔审核', 'city', 10)],
    aid: null,
  },
  {
    code: 'employment',
    name: '就业帮扶',
    category: '就业服务',
    description: '失业或希望转岗的职工，可申请工会就业帮扶：岗位推荐、技能培训、创业指导。',
    applicantScope: 'worker',
    form: [
      { key: 'intention', label: '求职意向', type: 'text', required: true, maxLength: 100 },
      { key: 'education', label: '学历', type: 'select', required: true, options: ['初中及以下', '高中/中专', '大专', '本科及以上'] },
      { key: 'needTraining', label: '是否需要技能培训', type: 'select', required: true, options: ['是', '否'] },
      { key: 'contactPhone', label: '联系电话', type: 'phone', required: true },
    ],
    attachments: [],
    steps: [
      review('accept', '基层工会受理', 'grassroots', 3, ['approve', 'return', 'reject', 'transfer']),
      review('county_service', '县级工会就业服务', 'county', 10),
    ],
    aid: null,
  },
];

/** Inserts the built-ins that do not exist yet (by code); existing ones are left as staff left them. */
export async function ensureServiceCatalogue(db: Kysely<DB>): Promise<void> {
  for (const b of BUILTIN_SERVICES) {
    if (await applicationsRepository.typeByCode(db, b.code)) continue;
    const definition: ServiceDefinition = { form: b.form, attachments: b.attachments, steps: b.steps, aid: b.aid };
    validateDefinition(definition);
    await applicationsRepository.insertType(db, {
      code: b.code,
      name: b.name,
      category: b.category,
      description: b.description,
      applicant_scope: b.applicantScope,
      org_id: null,
      org_path: null,
      definition: JSON.stringify(definition),
      builtin: true,
      created_by: null,
    });
  }
}
