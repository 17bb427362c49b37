// 劳模工匠 labels: honour kinds (which of them make a 劳模 on the roll), statuses, entitlements.
import type { Benefit, HonourKind, ModelStatus } from '../../db/schema-models.js';

export const HONOUR_KINDS: Record<HonourKind, { name: string; short: string; group: 'model' | 'mayday' | 'craftsman' | 'skill'; body: string }> = {
  national_model: { name: '全国劳动模范/先进工作者', short: '全国劳模', group: 'model', body: '中共中央、国务院' },
  provincial_model: { name: '省部级劳动模范/先进工作者', short: '省劳模', group: 'model', body: '江苏省人民政府' },
  city_model: { name: '市劳动模范', short: '市劳模', group: 'model', body: '盐城市人民政府' },
  mayday_national: { name: '全国五一劳动奖章', short: '全国五一奖章', group: 'mayday', body: '中华全国总工会' },
  mayday_provincial: { name: '江苏省五一劳动奖章', short: '省五一奖章', group: 'mayday', body: '江苏省总工会' },
  mayday_city: { name: '盐城市五一劳动奖章', short: '市五一奖章', group: 'mayday', body: '盐城市总工会' },
  craftsman_national: { name: '大国工匠', short: '大国工匠', group: 'craftsman', body: '中华全国总工会' },
  craftsman_provincial: { name: '江苏工匠', short: '江苏工匠', group: 'craftsman', body: '江苏省总工会' },
  craftsman_city: { name: '盐城工匠', short: '盐城工匠', group: 'craftsman', body: '盐城市总工会' },
  skill_expert: { name: '技术能手', short: '技术能手', group: 'skill', body: '人力资源和社会保障部门' },
};
export const HONOUR_KIND_CODES = Object.keys(HONOUR_KINDS) as [HonourKind, ...HonourKind[]];
/** The honours that make a person a 劳模 on the roll (`memberships.is_model_worker`). */
export const MODEL_KINDS: readonly HonourKind[] = ['national_model', 'provincial_model', 'city_model'];

export const MODEL_STATUSES: Record<ModelStatus, string> = { active: '在岗', retired: '退休', deceased: '去世' };
export const MODEL_STATUS_CODES = Object.keys(MODEL_STATUSES) as [ModelStatus, ...ModelStatus[]];

export const BENEFITS: Record<Benefit, string> = {
  recuperation: '疗休养（优先安排）',
  checkup: '健康体检',
  hardship_subsidy: '困难劳模补助',
  spring_visit: '春节慰问',
};
export const BENEFIT_CODES = Object.keys(BENEFITS) as [Benefit, ...Benefit[]];

/** Honour kind from a spreadsheet cell: its code, full name or short name. */
export function honourKindFromText(text: string): HonourKind | null {
  const t = text.replace(/\s/g, '');
  if (!t) return null;
  for (const [code, k] of Object.entries(HONOUR_KINDS) as [HonourKind, (typeof HONOUR_KINDS)[HonourKind]][])
    if (t === code || t === k.name || t === k.short || k.name.split('/').includes(t)) return code;
  return null;
}

// ---- 创新工作室 and the problem board ----
export const STUDIO_KINDS = { model: '劳模创新工作室', worker: '职工创新工作室', women: '女职工创新工作室', craftsman: '工匠创新工作室', alliance: '创新工作室联盟' } as const;
export const STUDIO_KIND_CODES = Object.keys(STUDIO_KINDS) as [keyof typeof STUDIO_KINDS, ...(keyof typeof STUDIO_KINDS)[]];
export const STUDIO_LEVELS = { county: '县级', city: '市级', provincial: '省级', national: '全国示范性' } as const;
export const STUDIO_LEVEL_CODES = Object.keys(STUDIO_LEVELS) as [keyof typeof STUDIO_LEVELS, ...(keyof typeof STUDIO_LEVELS)[]];
export const ACHIEVEMENT_KINDS = { patent: '专利', innovation: '技术革新', five_small: '五小成果', apprentice: '培养徒弟', benefit: '创效' } as const;
export const ACHIEVEMENT_KIND_CODES = Object.keys(ACHIEVEMENT_KINDS) as [keyof typeof ACHIEVEMENT_KINDS, ...(keyof typeof ACHIEVEMENT_KINDS)[]];
export const PROBLEM_STATUSES = { open: '待揭榜', claimed: '攻关中', solved: '待企业确认', confirmed: '已解决', withdrawn: '已撤回' } as const;
export const PROBLEM_STATUS_CODES = Object.keys(PROBLEM_STATUSES) as [keyof typeof PROBLEM_STATUSES, ...(keyof typeof PROBLEM_STATUSES)[]];
export const RECORD_KINDS = { visit: '走访', work: '攻关', note: '备注' } as const;
