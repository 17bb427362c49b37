// The sheets of the yearly statistics return (工会统计年报) as data: each sheet's title, its two-level
// column header (a group spans its columns, like the paper form), the statement that counts it, and
// the note printed under it. The xlsx writer (reports.xlsx.ts) and the report (.docx) read these.
import type { Executor } from '../audit/audit.repository.js';
import { reportsRepository as repo, type SheetRow, type YearBounds } from './reports.repository.js';

export interface Column {
  key: string;
  label: string;
  /** Money in yuan with two decimals; otherwise a whole number. */
  money?: boolean;
  /** A ratio computed from two columns of the same row (percent, one decimal), never summed. */
  ratio?: { numerator: string; denominator: string };
}
export type HeaderCell = Column | { group: string; columns: Column[] };

export interface SheetDefinition {
  key: 'orgs' | 'members' | 'stations' | 'aid' | 'rights';
  /** The sheet tab (≤ 31 characters). */
  name: string;
  /** 表号 and the title printed over the table. */
  formNo: string;
  title: string;
  header: HeaderCell[];
  note: string;
  load: (db: Executor, path: string, y: YearBounds) => Promise<SheetRow[]>;
}

export const SHEETS: readonly SheetDefinition[] = [
  {
    key: 'orgs',
    name: '基层工会组织情况',
    formNo: '工统1表',
    title: '基层工会组织情况',
    header: [
      { group: '基层工会（个）', columns: [{ key: 'grassroots', label: '合计' }, { key: 'independent', label: '独立基层工会' }, { key: 'joint', label: '联合基层工会' }] },
      { key: 'village', label: '村（社区）工会（个）' },
      { key: 'industry', label: '行业工会联合会（个）' },
      { key: 'founded', label: '本年新建基层工会（个）' },
      {
        group: '职工 25 人以上企业',
        columns: [
          { key: 'eligible', label: '企业数（个）' },
          { key: 'unionised', label: '已建会（个）' },
          { key: 'founding_rate', label: '建会率（%）', ratio: { numerator: 'unionised', denominator: 'eligible' } },
        ],
      },
    ],
    note: '工会组织为 12 月 31 日仍在运行的组织（按成立日期）；本年新建按成立日期；企业按企业名录当前状态（职工 25 人以上，已有独立或联合基层工会覆盖为已建会）。',
    load: repo.orgs,
  },
  {
    key: 'members',
    name: '会员情况',
    formNo: '工统2表',
    title: '工会会员情况（含新就业形态劳动者）',
    header: [
      { key: 'members', label: '会员总数（人）' },
      { group: '其中', columns: [{ key: 'women', label: '女职工' }, { key: 'migrant', label: '农民工' }, { key: 'model', label: '劳动模范' }] },
      {
        group: '新就业形态劳动者会员（人）',
        columns: [
          { key: 'gig', label: '合计' },
          { key: 'truck_driver', label: '货车司机' },
          { key: 'ride_hailing', label: '网约车司机' },
          { key: 'courier', label: '快递员' },
          { key: 'food_delivery', label: '外卖配送员' },
          { key: 'other_gig', label: '其他' },
        ],
      },
      { group: '本年新发展会员（人）', columns: [{ key: 'joined', label: '合计' }, { key: 'joined_gig', label: '其中新就业形态' }] },
    ],
    note: '会员总数为 12 月 31 日在册的会籍（入会日期不晚于年末、年末前未转出或退会）；本年新发展会员按入会日期统计，含此后转出、退会的。',
    load: repo.members,
  },
  {
    key: 'stations',
    name: '职工之家与服务阵地',
    formNo: '工统3表',
    title: '职工之家与服务阵地情况',
    header: [
      { key: 'operating', label: '运营中的阵地（个）' },
      {
        group: '按类型（个）',
        columns: [
          { key: 'home', label: '职工之家' },
          { key: 'outdoor', label: '工会驿站' },
          { key: 'driver', label: '司机之家' },
          { key: 'carnation', label: '康乃馨服务站' },
          { key: 'other', label: '其他' },
        ],
      },
      { key: 'starred', label: '三星级以上（个）' },
      { key: 'visits', label: '本年服务人次' },
    ],
    note: '阵地按当前登记状态统计（状态为运营）；服务人次为本年扫码签到、刷会员卡与登记服务的人次。',
    load: repo.stations,
  },
  {
    key: 'aid',
    name: '帮扶',
    formNo: '工统4表',
    title: '困难职工帮扶与职工服务情况',
    header: [
      {
        group: '困难职工档案（户）',
        columns: [
          { key: 'open_files', label: '年末在档' },
          { key: 'established', label: '本年新建档' },
          { key: 'closed', label: '本年解困' },
        ],
      },
      { group: '帮扶资金发放', columns: [{ key: 'aid_times', label: '人次' }, { key: 'aid_amount', label: '金额（元）', money: true }] },
      { group: '服务申请（件）', columns: [{ key: 'received', label: '本年受理' }, { key: 'finished', label: '本年办结' }] },
    ],
    note: '年末在档为 12 月 31 日已建档、未解困的档案；帮扶资金为本年发放且未冲正的金额；服务申请含困难帮扶、法律援助、疗休养等全部服务事项。',
    load: repo.aid,
  },
  {
    key: 'rights',
    name: '维权服务',
    formNo: '工统5表',
    title: '维权服务情况',
    header: [
      { key: 'consultations', label: '接待咨询（人次）' },
      {
        group: '劳动争议调解（件）',
        columns: [
          { key: 'mediations', label: '受理' },
          { key: 'succeeded', label: '调解成功' },
          { key: 'mediation_rate', label: '成功率（%）', ratio: { numerator: 'succeeded', denominator: 'mediations' } },
        ],
      },
      { key: 'legal_aid', label: '法律援助案件（件）' },
      { key: 'letters', label: '一函两书（件）' },
    ],
    note: '按受理、发出日期统计本年数据。',
    load: repo.rights,
  },
];

/** The leaf columns of a sheet, in order. */
export const columnsOf = (s: Pick<SheetDefinition, 'header'>): Column[] => s.header.flatMap((h) => ('group' in h ? h.columns : [h]));

/** A row's value of a column: a ratio from its parts, money as yuan, else a count. */
export function cellValue(col: Column, row: Record<string, string | number | null>): number | null {
  if (col.ratio) {
    const den = Number(row[col.ratio.denominator] ?? 0);
    return den ? Math.round((Number(row[col.ratio.numerator] ?? 0) / den) * 1000) / 10 : null;
  }
  return Number(row[col.key] ?? 0);
}

/** Sums rows column by column (ratios are recomputed from the sums by `cellValue`; money in fen to stay exact). */
export function sumRows(cols: Column[], rows: Record<string, string | number | null>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cols) {
    if (c.ratio) continue;
    const total = rows.reduce((n, r) => n + (c.money ? Math.round(Number(r[c.key] ?? 0) * 100) : Number(r[c.key] ?? 0)), 0);
    out[c.key] = c.money ? total / 100 : total;
  }
  return out;
}
