// The one indicator catalogue (issue 15, decision 023): every figure the platform computes is defined
// here once — code, name, unit, what it counts in words, whether it is a stock counted by the daily
// snapshot or a flow over a period, and where its rows are in the console. Modules add their
// indicators here; the SQL of each lives in stats.repository.ts under the same code.
import type { Permission } from '../../platform/permissions.js';

export type IndicatorKind = 'stock' | 'flow' | 'ratio';

export interface IndicatorDefinition {
  code: string;
  name: string;
  unit: '人' | '个' | '件' | '元' | '%' | '人次';
  category: '会员与组织' | '入会' | '职工服务' | '帮扶' | '维权' | '活动' | '阵地' | '企业与建会';
  /** What is counted, in words (shown beside the figure). */
  definition: string;
  /** stock: counted per org by the snapshot job as of a day; flow: counted live over a period; ratio: numerator / denominator. */
  kind: IndicatorKind;
  ratio?: { numerator: string; denominator: string };
  /** Money is kept in fen and shown in yuan. */
  money?: boolean;
  /** The console page that lists the rows behind the figure (the front end adds orgId and the period). */
  rows?: { path: string; query: Record<string, string>; periodParams?: { from: string; to: string }; permission: Permission };
}

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    code: 'members.live',
    name: '会员总数',
    unit: '人',
    category: '会员与组织',
    definition: '在会与保留会籍的会员人数（统计日快照）',
    kind: 'stock',
    rows: { path: '/members', query: { status: 'active,retained' }, permission: 'member:read' },
  },
  {
    code: 'members.joined',
    name: '新入会会员',
    unit: '人',
    category: '会员与组织',
    definition: '入会日期在统计期间内的会籍数（含此后转出、退会的）',
    kind: 'flow',
    rows: {
      path: '/members',
      query: { status: 'active,retained,transferred_out,left' },
      periodParams: { from: 'joinedFrom', to: 'joinedTo' },
      permission: 'member:read',
    },
  },
  {
    code: 'members.gig',
    name: '新就业形态会员',
    unit: '人',
    category: '会员与组织',
    definition: '就业形态为货车司机、网约车司机、快递员、外卖配送员等新就业形态的在会会员（统计日快照）',
    kind: 'stock',
    rows: { path: '/members', query: { status: 'active,retained' }, permission: 'member:read' },
  },
  {
    code: 'members.gig_share',
    name: '新就业形态会员占比',
    unit: '%',
    category: '会员与组织',
    definition: '新就业形态会员 ÷ 会员总数',
    kind: 'ratio',
    ratio: { numerator: 'members.gig', denominator: 'members.live' },
  },
  {
    code: 'members.migrant',
    name: '农民工会员',
    unit: '人',
    category: '会员与组织',
    definition: '标记为农民工的在会会员（统计日快照）',
    kind: 'stock',
    rows: { path: '/members', query: { status: 'active,retained', isMigrantWorker: 'true' }, permission: 'member:read' },
  },
  {
    code: 'members.model',
    name: '劳模会员',
    unit: '人',
    category: '会员与组织',
    definition: '标记为劳动模范的在会会员（统计日快照）',
    kind: 'stock',
    rows: { path: '/members', query: { status: 'active,retained', isModelWorker: 'true' }, permission: 'member:read' },
  },
  {
    code: 'orgs.grassroots',
    name: '基层工会',
    unit: '个',
    category: '会员与组织',
    definition: '正常运行的基层工会与联合基层工会（统计日快照）',
    kind: 'stock',
    rows: { path: '/orgs', query: {}, permission: 'org:read' },
  },
  {
    code: 'enterprises.eligible',
    name: '应建会企业',
    unit: '个',
    category: '企业与建会',
    definition: '企业名录中职工 25 人以上的企业（统计日快照）',
    kind: 'stock',
    rows: { path: '/enterprises', query: { figure: 'eligible' }, permission: 'enterprise:read' },
  },
  {
    code: 'enterprises.eligible_unionised',
    name: '已建会企业（25 人以上）',
    unit: '个',
    category: '企业与建会',
    definition: '职工 25 人以上、已有覆盖工会（独立建会或联合基层工会）的企业（统计日快照）',
    kind: 'stock',
    rows: { path: '/enterprises', query: { figure: 'eligible_unionised' }, permission: 'enterprise:read' },
  },
  {
    code: 'enterprises.founding_rate',
    name: '建会率',
    unit: '%',
    category: '企业与建会',
    definition: '已建会企业（25 人以上）÷ 应建会企业',
    kind: 'ratio',
    ratio: { numerator: 'enterprises.eligible_unionised', denominator: 'enterprises.eligible' },
  },
  {
    code: 'join.received',
    name: '入会申请',
    unit: '件',
    category: '入会',
    definition: '统计期间内提交的入会申请（H5、扫码、合作平台、工会代录）',
    kind: 'flow',
    rows: { path: '/join-applications', query: { tab: 'all' }, permission: 'join:review' },
  },
  {
    code: 'join.approved',
    name: '入会申请通过',
    unit: '件',
    category: '入会',
    definition: '统计期间内审核通过的入会申请',
    kind: 'flow',
    rows: { path: '/join-applications', query: { tab: 'all', status: 'approved' }, permission: 'join:review' },
  },
  {
    code: 'applications.received',
    name: '服务申请',
    unit: '件',
    category: '职工服务',
    definition: '统计期间内职工提交的服务申请（困难帮扶、法律援助、疗休养等全部服务事项）',
    kind: 'flow',
    rows: { path: '/applications', query: {}, periodParams: { from: 'from', to: 'to' }, permission: 'application:read' },
  },
  {
    code: 'applications.finished',
    name: '服务申请办结',
    unit: '件',
    category: '职工服务',
    definition: '统计期间内办结（通过或不通过）的服务申请',
    kind: 'flow',
    rows: { path: '/applications', query: { status: 'approved' }, permission: 'application:read' },
  },
  {
    code: 'hardship.open',
    name: '在档困难职工',
    unit: '人',
    category: '帮扶',
    definition: '已建档、未解困的困难职工档案（统计日快照）',
    kind: 'stock',
    rows: { path: '/hardship', query: { status: 'established' }, permission: 'hardship:read' },
  },
  {
    code: 'aid.paid',
    name: '帮扶资金发放',
    unit: '元',
    money: true,
    category: '帮扶',
    definition: '统计期间内发放的帮扶资金（已冲正的不计）',
    kind: 'flow',
    rows: { path: '/aid-funds', query: { tab: 'disbursements' }, permission: 'aid:read' },
  },
  {
    code: 'rights.consultations',
    name: '维权咨询',
    unit: '人次',
    category: '维权',
    definition: '统计期间内接待的咨询（窗口来访、12351 热线、H5 在线、驿站、信访）',
    kind: 'flow',
    rows: { path: '/rights', query: {}, permission: 'rights:read' },
  },
  {
    code: 'rights.mediations',
    name: '受理调解',
    unit: '件',
    category: '维权',
    definition: '统计期间内受理的劳动争议调解案件',
    kind: 'flow',
    rows: { path: '/rights', query: { tab: 'cases' }, permission: 'rights:read' },
  },
  {
    code: 'rights.mediations_succeeded',
    name: '调解成功',
    unit: '件',
    category: '维权',
    definition: '统计期间内受理、已调解成功的案件',
    kind: 'flow',
    rows: { path: '/rights', query: { tab: 'cases' }, permission: 'rights:read' },
  },
  {
    code: 'rights.mediation_success_rate',
    name: '调解成功率',
    unit: '%',
    category: '维权',
    definition: '调解成功 ÷ 受理调解',
    kind: 'ratio',
    ratio: { numerator: 'rights.mediations_succeeded', denominator: 'rights.mediations' },
  },
  {
    code: 'rights.letters',
    name: '劳动法律监督文书',
    unit: '件',
    category: '维权',
    definition: '统计期间内发出的提示函、意见书与建议书（一函两书）',
    kind: 'flow',
    rows: { path: '/rights', query: { tab: 'letters' }, permission: 'rights:read' },
  },
  {
    code: 'stations.operating',
    name: '运营中的服务阵地',
    unit: '个',
    category: '阵地',
    definition: '状态为运营的职工之家、工会驿站、司机之家、户外劳动者服务站等服务阵地（统计日快照）',
    kind: 'stock',
    rows: { path: '/stations', query: { status: 'operating' }, permission: 'station:read' },
  },
  {
    code: 'stations.visits',
    name: '阵地服务人次',
    unit: '人次',
    category: '阵地',
    definition: '统计期间内在服务阵地扫码签到、刷会员卡与登记服务的人次',
    kind: 'flow',
    rows: { path: '/stations', query: {}, permission: 'station:read' },
  },
  {
    code: 'activities.participants',
    name: '活动参加',
    unit: '人次',
    category: '活动',
    definition: '统计期间内报名成功（含已签到）的活动人次',
    kind: 'flow',
    rows: { path: '/activities', query: {}, permission: 'activity:read' },
  },
];

export const INDICATOR_BY_CODE = new Map(INDICATORS.map((i) => [i.code, i]));
export const STOCK_CODES = INDICATORS.filter((i) => i.kind === 'stock').map((i) => i.code);
export const FLOW_CODES = INDICATORS.filter((i) => i.kind === 'flow').map((i) => i.code);
