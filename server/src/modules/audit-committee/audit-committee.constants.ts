// 经费审查 labels (the codes stored, the words shown).
export const PROJECT_KINDS = {
  final_accounts: '决算审计',
  affiliate: '直属单位审计',
  special_fund: '专项资金审计',
  tracking: '跟踪审计',
  economic_responsibility: '经济责任审计',
} as const;
export const FINDING_CATEGORIES = {
  budget: '预算管理',
  income: '经费收缴',
  spending: '经费支出',
  assets: '资产管理',
  accounting: '会计核算',
  other: '其他',
} as const;
export const SEVERITIES = { minor: '一般', major: '较重', serious: '严重' } as const;
export const PROJECT_STATUSES = { open: '审计中', reported: '已出报告', closed: '已办结' } as const;
export const TASK_STATUSES = { open: '整改中', submitted: '待销号', closed: '已销号' } as const;
export type ProjectKind = keyof typeof PROJECT_KINDS;
export type FindingCategory = keyof typeof FINDING_CATEGORIES;
export type Severity = keyof typeof SEVERITIES;
