// Dictionaries of the enterprise register and 建会 (issue 13). Codes are stored; labels are shown.
import type { EnterpriseSize, FoundingStatus, OfficerRole, Ownership, UnionKind } from '../../db/schema-enterprises.js';

export const OWNERSHIPS: Record<Ownership, string> = {
  state: '国有',
  collective: '集体',
  mixed: '混合所有制',
  private: '民营',
  foreign: '外商投资',
  hmt: '港澳台投资',
  individual: '个体',
  other: '其他',
};
/** 非公有制: what 非公企业建会 counts. */
export const NON_PUBLIC: readonly Ownership[] = ['private', 'foreign', 'hmt', 'individual'];

/** GB/T 4754-2017 门类. */
export const INDUSTRIES: Record<string, string> = {
  A: '农、林、牧、渔业',
  B: '采矿业',
  C: '制造业',
  D: '电力、热力、燃气及水生产和供应业',
  E: '建筑业',
  F: '批发和零售业',
  G: '交通运输、仓储和邮政业',
  H: '住宿和餐饮业',
  I: '信息传输、软件和信息技术服务业',
  J: '金融业',
  K: '房地产业',
  L: '租赁和商务服务业',
  M: '科学研究和技术服务业',
  N: '水利、环境和公共设施管理业',
  O: '居民服务、修理和其他服务业',
  P: '教育',
  Q: '卫生和社会工作',
  R: '文化、体育和娱乐业',
  S: '公共管理、社会保障和社会组织',
  T: '国际组织',
};

export const SIZES: Record<EnterpriseSize, string> = { large: '大型', medium: '中型', small: '小型', micro: '微型' };
export const UNION_KINDS: Record<UnionKind, string> = { own: '独立建会', joint: '联合基层工会覆盖', industry: '行业工会联合会覆盖' };

/** Enterprises with at least this many employees should found a union: the 未建会 list and 建会率's denominator. */
export const FOUNDING_THRESHOLD = 25;
/** 法人资格登记 within this many days of 上级批复. */
export const LEGAL_REGISTRATION_DAYS = 60;
/** A founding still in 筹备 or elected but not approved after this many days is overdue. */
export const FOUNDING_OVERDUE_DAYS = 180;
/** 换届 reminders this many days before an officer's term ends. */
export const TERM_REMIND_DAYS = 90;
/** A 女职工委员会 is elected where the enterprise has at least this many women. */
export const WOMEN_COMMITTEE_THRESHOLD = 10;

export const FOUNDING_STATUSES: Record<FoundingStatus, string> = {
  preparing: '筹备中',
  elected: '已选举，待上级批复',
  established: '已批复建会，待法人资格登记',
  registered: '已完成法人资格登记',
  cancelled: '已终止',
};

export const OFFICER_ROLES: Record<OfficerRole, string> = {
  chair: '主席',
  vice_chair: '副主席',
  member: '委员',
  funds_review: '经费审查委员会委员',
  women_committee: '女职工委员会委员',
};

export const CONGRESS_KINDS = { congress: '职工代表大会', assembly: '职工大会' } as const;

export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
export const addYears = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.toISOString().slice(0, 10);
};

/** Label → code for the import (a 市场监管 list says 私营 or 有限责任公司（自然人投资或控股）, not our codes). */
export function ownershipFromText(v: string): Ownership | null {
  const t = v.trim();
  if (!t) return null;
  for (const [code, label] of Object.entries(OWNERSHIPS)) if (t === label || t === code) return code as Ownership;
  if (/港|澳|台/.test(t)) return 'hmt';
  if (/外商|外资|中外/.test(t)) return 'foreign';
  if (/国有|国资|全民/.test(t)) return 'state';
  if (/集体/.test(t)) return 'collective';
  if (/混合/.test(t)) return 'mixed';
  if (/个体/.test(t)) return 'individual';
  if (/民营|私营|自然人|个人独资|合伙/.test(t)) return 'private';
  if (t === '其他') return 'other';
  return null;
}

export function industryFromText(v: string): string | null {
  const t = v.trim().toUpperCase();
  if (/^[A-T]$/.test(t)) return t;
  const m = /^([A-T])\b/.exec(t);
  if (m) return m[1]!;
  for (const [code, label] of Object.entries(INDUSTRIES)) if (v.trim() === label) return code;
  return null;
}

export function sizeFromText(v: string): EnterpriseSize | null {
  const t = v.trim();
  if (!t) return 'small';
  for (const [code, label] of Object.entries(SIZES)) if (t === label || t === code || `${label}企业` === t) return code as EnterpriseSize;
  return null;
}
