// 维权 demo data for `npm start`, created through the rights services on the demo story's clock
// (called from seedPeopleDemo): consultations in 东台市 and 射阳县 over the last weeks, mediation cases
// with the county pools (one 调解成功 with its agreement, one 调解不成 referred to 仲裁, one open past
// its 15 days), 一函两书 (a 提示函 rectified, an 意见书 refused and escalated to a 建议书 by 东台市总工会),
// and 12351 tickets dispatched city → county → town (one closed after callback, one in progress).
import { chinaDay } from '../platform/china-time.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../platform/context.js';
import type { RightsService } from '../modules/rights/rights.service.js';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ReplayClock } from './demo-people.js';
import { seedCheckupsAndRisks } from './demo-rights-checkups.js';

const META: RequestMeta = { ip: '127.0.0.1', requestId: 'demo-seed', userAgent: 'demo-seed' };

export interface DemoRightsContext {
  clock: ReplayClock;
  rights: RightsService;
  /** A moment `daysAgo` China-time days back at `hour` (never later than now). */
  at: (daysAgo: number, hour: number) => Date;
  staff: { grassroots: StaffActor; town: StaffActor; county: StaffActor; sheyang: StaffActor; city: StaffActor };
  /** The demo worker (13900000001) and another 东台 worker, who ask on the H5; the 信息员 (demo-rights-checkups.ts). */
  workers: { demo?: WorkerActor; other?: WorkerActor; rider?: WorkerActor; sheyang?: WorkerActor };
  db: Kysely<DB>;
}

type C = Parameters<RightsService['consultations']['create']>[2];
const DONGTAI: [number, C][] = [
  [
    27,
    {
      channel: 'window',
      topic: 'pay',
      name: '钱卫国',
      phone: '13951000101',
      employerName: '东台恒信物流有限公司',
      summary: '两个月工资 9,600 元未发，公司说资金周转困难。',
      answer: '可先由工会调解，必要时申请劳动仲裁；保存考勤、工资条、微信聊天记录作为证据。',
      outcome: 'to_mediation',
    },
  ],
  [
    25,
    {
      channel: 'hotline',
      topic: 'contract',
      name: '许梅',
      phone: '13951000102',
      employerName: '东台某服装厂',
      summary: '入职五个月未签劳动合同。',
      answer: '超过一个月未签书面劳动合同，可主张二倍工资差额。',
      outcome: 'answered',
    },
  ],
  [
    22,
    {
      channel: 'hotline',
      topic: 'insurance',
      name: '丁建平',
      summary: '公司只交了三险，没有交医疗保险。',
      answer: '用人单位应依法足额缴纳五项社会保险，可向社保经办机构投诉。',
      outcome: 'answered',
    },
  ],
  [
    20,
    {
      channel: 'station',
      topic: 'new_forms',
      name: '蒋师傅',
      phone: '13951000104',
      employerName: '某外卖平台东台站点',
      summary: '站点以差评为由扣配送费 300 元。',
      answer: '平台规则应公示，已联系站点核实，工会协助协商。',
      outcome: 'answered',
    },
  ],
  [
    18,
    {
      channel: 'window',
      topic: 'injury',
      name: '沈海波',
      employerName: '东台某机械厂',
      summary: '工作中手指受伤，公司不给报工伤。',
      answer: '事故发生之日起一年内本人可直接申请工伤认定。',
      outcome: 'to_legal_aid',
    },
  ],
  [
    15,
    {
      channel: 'petition',
      topic: 'dismissal',
      name: '韦红',
      summary: '怀孕后被公司以岗位调整为由辞退。',
      answer: '孕期解除劳动合同违法，已转调解并发提示函。',
      outcome: 'to_mediation',
    },
  ],
  [
    12,
    {
      channel: 'window',
      topic: 'rest',
      name: '陶亮',
      summary: '连续三个月每周只休一天，加班费怎么算？',
      answer: '休息日加班应安排补休，不能补休的按 200% 支付加班工资。',
      outcome: 'answered',
    },
  ],
  [
    9,
    {
      channel: 'hotline',
      topic: 'women',
      name: '葛小燕',
      summary: '哺乳期能否拒绝夜班？',
      answer: '对哺乳未满一周岁婴儿的女职工，不得安排夜班劳动。',
      outcome: 'answered',
    },
  ],
  [
    6,
    {
      channel: 'hotline',
      topic: 'pay',
      name: '包志刚',
      phone: '13951000109',
      summary: '年底离职，公司不发最后一个月工资。',
      answer: '离职时用人单位应一次性结清工资。',
      outcome: 'answered',
    },
  ],
  [3, { channel: 'window', topic: 'contract', name: '毛晓东', summary: '公司要求签竞业限制协议但没有补偿。' }],
  [1, { channel: 'station', topic: 'new_forms', name: '冷师傅', summary: '网约车平台抽成比例突然提高。' }],
];
const SHEYANG: [number, C][] = [
  [
    26,
    {
      channel: 'window',
      topic: 'pay',
      name: '潘国强',
      phone: '13951000201',
      employerName: '射阳某风电设备公司',
      summary: '绩效工资被无故扣发。',
      answer: '扣发工资须有依据，已联系企业工会协调。',
      outcome: 'to_mediation',
    },
  ],
  [
    19,
    { channel: 'hotline', topic: 'insurance', name: '常玉', summary: '退休后养老金补缴问题。', answer: '可携带材料到社保经办机构办理。', outcome: 'to_other' },
  ],
  [
    11,
    {
      channel: 'station',
      topic: 'new_forms',
      name: '卜师傅',
      employerName: '射阳某货运平台',
      summary: '货车司机运费被拖欠。',
      answer: '已登记，转司机之家法律服务点。',
      outcome: 'answered',
    },
  ],
  [
    4,
    {
      channel: 'window',
      topic: 'injury',
      name: '仇德明',
      summary: '工伤停工留薪期工资怎么算？',
      answer: '停工留薪期内原工资福利待遇不变，由所在单位按月支付。',
      outcome: 'answered',
    },
  ],
];

export async function seedRightsDemo(ctx: DemoRightsContext): Promise<string[]> {
  const { clock, rights, at, staff, workers } = ctx;
  const { grassroots, town, county, sheyang, city } = staff;
  const story: string[] = [];
  const when = (daysAgo: number, hour = 10) => clock.replayAt(at(daysAgo, hour));

  // ---- the pools of the two counties ----
  when(30, 9);
  const chen = await rights.pool.add(county, META, {
    name: '陈立新',
    organisation: '江苏东台正衡律师事务所',
    speciality: '劳动报酬、工伤',
    kind: 'lawyer',
    available: true,
  });
  const zhou = await rights.pool.add(county, META, {
    name: '周敏',
    organisation: '东台市劳动争议多元调解中心',
    speciality: '集体争议调解',
    kind: 'cadre',
    available: true,
  });
  await rights.pool.add(county, META, {
    name: '顾振华',
    organisation: '东台市劳动人事争议仲裁院',
    speciality: '仲裁程序',
    kind: 'arbitrator',
    available: true,
  });
  const wu = await rights.pool.add(sheyang, META, {
    name: '吴海',
    organisation: '射阳县劳动争议调解中心',
    speciality: '新就业形态',
    kind: 'cadre',
    available: true,
  });

  // ---- consultations ----
  const made: { id: string; version: number; by: StaffActor }[] = [];
  for (const [daysAgo, c] of DONGTAI) {
    when(daysAgo, 9.5);
    const by = daysAgo % 2 ? town : county;
    made.push({ ...(await rights.consultations.create(by, META, c)), by });
  }
  const sheyangMade: { id: string; version: number }[] = [];
  for (const [daysAgo, c] of SHEYANG) {
    when(daysAgo, 14);
    sheyangMade.push(await rights.consultations.create(sheyang, META, c));
  }
  for (const [i, daysAgo] of [
    [1, 23],
    [2, 20],
    [3, 18],
  ] as const) {
    when(daysAgo, 16);
    const c = made[i]!;
    await rights.consultations.callback(c.by, META, c.id, { version: c.version, callbackOn: chinaDay(at(daysAgo, 16)), satisfaction: 5 - (i % 2) });
  }
  // the demo worker asks online: one answered, one waiting
  if (workers.demo) {
    when(8, 21);
    const q = await rights.consultations.ask(workers.demo, META, {
      idempotencyKey: 'demo-ask-bonus',
      topic: 'pay',
      question: '我在公司做了两年，年终奖说不发就不发了，合法吗？',
    });
    when(7, 9);
    const seen = await rights.consultations.get(grassroots, META, q.id, false);
    await rights.consultations.answer(grassroots, META, q.id, {
      version: seen.version,
      answer: '年终奖是否发放首先看劳动合同和公司规章制度的约定；有明确约定且您符合条件的，公司不能单方取消。请把合同和制度拍照发给我们，工会帮您看。',
      outcome: 'answered',
    });
    when(0, 8);
    await rights.consultations.ask(workers.demo, META, {
      idempotencyKey: 'demo-ask-weekend',
      topic: 'rest',
      question: '单位安排周末加班，只给调休不给加班费，可以吗？',
    });
  }
  if (workers.other) {
    when(2, 20);
    await rights.consultations.ask(workers.other, META, { idempotencyKey: 'demo-ask-probation', topic: 'contract', question: '试用期可以延长到一年吗？' });
  }
  story.push(`${DONGTAI.length + SHEYANG.length + (workers.demo ? 2 : 0) + (workers.other ? 1 : 0)} 条维权咨询（窗口、12351 热线、驿站、信访、H5 在线）`);

  // ---- mediation cases ----
  when(26, 15);
  const first = await rights.consultations.get(county, META, made[0]!.id, false);
  let k = await rights.cases.fromConsultation(county, META, first.id, {
    version: first.version,
    disputeType: 'pay',
    employerName: '东台恒信物流有限公司',
    summary: '拖欠 2 个月工资 9,600 元，请求一次性支付。',
    claimAmount: '9600',
    mediatorIds: [zhou.id, chen.id],
  });
  when(24, 9);
  k = await rights.cases.addSession(county, META, k.id, {
    version: k.version,
    heldOn: chinaDay(at(24, 9)),
    place: '东台市劳动争议多元调解中心',
    online: false,
    attendees: '申请人钱卫国、公司行政经理、调解员周敏、陈立新',
    minutes: '公司承认欠薪，提出分期支付；申请人同意两期付清。',
  });
  when(23, 11);
  await rights.cases.close(county, META, k.id, {
    version: k.version,
    outcome: 'succeeded',
    agreedAmount: '9600',
    paidAmount: '4800',
    agreementTerms:
      '一、被申请人于本协议签订之日起 5 日内支付申请人工资 4,800 元。\n二、被申请人于 30 日内支付剩余工资 4,800 元。\n三、申请人不再就本争议申请仲裁。',
  });

  when(14, 10);
  const pregnant = await rights.consultations.get(town, META, made[5]!.id, false);
  let k2 = await rights.cases.fromConsultation(town, META, pregnant.id, {
    version: pregnant.version,
    disputeType: 'women',
    employerName: '东台某电子厂',
    summary: '孕期被辞退，请求恢复劳动关系。',
    claimAmount: '0',
    mediatorIds: [zhou.id],
  });
  when(12, 10);
  k2 = await rights.cases.addSession(town, META, k2.id, {
    version: k2.version,
    heldOn: chinaDay(at(12, 10)),
    place: '线上',
    online: true,
    attendees: '申请人、企业人事、调解员周敏',
    minutes: '企业坚持解除，双方分歧较大。',
  });
  when(11, 16);
  await rights.cases.close(town, META, k2.id, {
    version: k2.version,
    outcome: 'failed',
    referralTo: '劳动人事争议仲裁委员会',
    referralNo: '东劳人仲案字〔2026〕第 318 号',
    result: '调解不成，引导申请仲裁，工会提供法律援助。',
  });

  when(20, 10);
  await rights.cases.create(grassroots, META, {
    parties: [
      { name: '李志强', idNumber: undefined },
      { name: '黄明伟', idNumber: undefined },
      { name: '吴军', idNumber: undefined },
    ],
    disputeType: 'rest',
    employerName: '东台某机械制造有限公司',
    summary: '三名职工主张 2026 年 1 月至 6 月休息日加班工资。',
    claimAmount: '8400',
    mediatorIds: [chen.id],
  });
  when(25, 10);
  const sy = await rights.consultations.get(sheyang, META, sheyangMade[0]!.id, false);
  await rights.cases.fromConsultation(sheyang, META, sy.id, {
    version: sy.version,
    disputeType: 'pay',
    employerName: '射阳某风电设备公司',
    summary: '绩效工资被扣 2,000 元。',
    claimAmount: '2000',
    mediatorIds: [wu.id],
  });
  story.push('4 件调解案件（调解成功 1 件并生成协议书、调解不成转仲裁 1 件、办理中 2 件）');

  // ---- 一函两书 ----
  when(21, 10);
  const l1 = await rights.letters.issue(town, META, {
    kind: 'reminder',
    employerName: '东台恒信物流有限公司',
    subject: '依法按时足额支付劳动报酬',
    facts: '你单位拖欠钱卫国等 6 名装卸工 2 个月工资共计 5.2 万元。',
    legalBasis: '《中华人民共和国劳动法》第五十条、《保障农民工工资支付条例》第十一条',
    demands: '于收到本函之日起 10 日内足额支付拖欠工资，并建立按月足额支付工资制度。',
    workers: ['钱卫国'],
    replyDays: 10,
  });
  when(15, 15);
  await rights.letters.reply(town, META, l1.id, {
    version: l1.version,
    reply: '已于本月补发全部拖欠工资，今后每月 15 日前发放。',
    repliedOn: chinaDay(at(15, 15)),
    rectified: true,
  });
  when(19, 10);
  const l2 = await rights.letters.issue(town, META, {
    kind: 'opinion',
    employerName: '东台某电子厂',
    subject: '纠正违法解除孕期女职工劳动合同',
    facts: '你单位以岗位调整为由解除孕期女职工韦红的劳动合同。',
    legalBasis: '《中华人民共和国劳动合同法》第四十二条、《女职工劳动保护特别规定》第五条',
    demands: '撤销解除决定，恢复劳动关系并补发停工期间工资。',
    workers: ['韦红'],
    replyDays: 7,
  });
  when(10, 10);
  await rights.letters.escalate(county, META, l2.id, {
    version: l2.version,
    addressee: '劳动保障监察机构',
    demands: '对该单位违法解除孕期女职工劳动合同的行为依法调查处理。',
    replyDays: 15,
  });
  when(16, 10);
  await rights.letters.issue(sheyang, META, {
    kind: 'reminder',
    employerName: '射阳某货运平台',
    subject: '规范货车司机运费结算',
    facts: '你平台延迟结算货车司机运费，涉及司机 12 人。',
    legalBasis: '《关于维护新就业形态劳动者劳动保障权益的指导意见》',
    demands: '按约定周期结算运费，公示结算规则。',
    workers: [],
    replyDays: 10,
  });
  // a 提示函 of the demo enterprise union, past its reply deadline with no answer: the county may escalate it
  when(12, 10);
  await rights.letters.issue(grassroots, META, {
    kind: 'reminder',
    employerName: '东台某机械制造有限公司',
    subject: '依法支付休息日加班工资',
    facts: '你单位安排李志强、黄明伟、吴军等职工休息日加班，既未安排补休，也未支付加班工资。',
    legalBasis: '《中华人民共和国劳动法》第四十四条',
    demands: '补发 2026 年 1 月至 6 月休息日加班工资，今后依法安排补休或支付加班工资。',
    workers: ['李志强', '黄明伟', '吴军'],
    replyDays: 7,
  });
  story.push('5 份劳动法律监督文书（提示函 3、意见书 1、建议书 1）');

  // ---- 12351 tickets ----
  when(13, 9);
  let t1 = await rights.tickets.create(city, META, {
    title: '骑手反映站点克扣配送费',
    content: '东台某外卖站点以差评为由每单扣 5 元，涉及骑手约 20 人。',
    requesterName: '蒋师傅',
    phone: '13951000104',
  });
  t1 = await rights.tickets.dispatch(city, META, t1.id, { version: t1.version, orgId: county.orgId, days: 5 });
  when(12, 10);
  t1 = await rights.tickets.dispatch(county, META, t1.id, { version: t1.version, orgId: town.orgId, days: 3 });
  when(10, 16);
  t1 = await rights.tickets.answer(town, META, t1.id, { version: t1.version, answer: '已约谈站点负责人，取消差评扣款规则，退还已扣款项。' });
  when(9, 10);
  t1 = await rights.tickets.callback(city, META, t1.id, { version: t1.version, satisfaction: 5, comment: '骑手表示满意' });
  await rights.tickets.close(city, META, t1.id, { version: t1.version });
  when(2, 9);
  let t2 = await rights.tickets.create(city, META, {
    title: '建筑工地农民工欠薪',
    content: '东台某工地 8 名农民工反映 3 个月工资未结。',
    requesterName: '匿名',
  });
  t2 = await rights.tickets.dispatch(city, META, t2.id, { version: t2.version, orgId: county.orgId, days: 5 });
  story.push('2 件 12351 诉求工单（已回访关闭 1 件、县级办理中 1 件）');
  // ---- 法治体检, 信息员 and risk reports ----
  story.push(
    ...(await seedCheckupsAndRisks({
      db: ctx.db,
      clock,
      rights,
      at,
      staff: { town, county, sheyang },
      workers,
      pool: { chen: chen.id, zhou: zhou.id, wu: wu.id },
    })),
  );
  return story;
}
