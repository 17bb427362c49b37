import type { BargainingStage, ContractKind } from '../../db/schema-enterprises.js';

export const CONTRACT_KINDS: Record<ContractKind, string> = {
  general: '综合集体合同',
  wage: '工资专项集体合同',
  women: '女职工权益保护专项集体合同',
  safety: '劳动安全卫生专项集体合同',
  skill_wage: '能级工资（技高者多得）专项集体合同',
  regional: '区域性集体合同',
  industry: '行业性集体合同',
};
/** Area and industry contracts cover many enterprises. */
export const MULTI_ENTERPRISE_KINDS: readonly ContractKind[] = ['regional', 'industry'];

/** Shown status, computed from the stage and the clock (contracts.repository.ts `statusSql`). */
export type ContractStatus = 'negotiating' | 'objection' | 'signed' | 'filed' | 'effective' | 'expired' | 'renewed';
export const CONTRACT_STATUSES: Record<ContractStatus, string> = {
  negotiating: '协商中',
  objection: '审查有异议',
  signed: '已签订',
  filed: '已备案',
  effective: '生效',
  expired: '到期',
  renewed: '续签',
};

/** Submitted to 人社 within 10 days of signing; deemed effective 15 days after 受理 without objection. */
export const FILING_DAYS = 10;
export const DEEMED_EFFECTIVE_DAYS = 15;
export const EXPIRY_REMINDERS = [90, 30] as const;

/** Women-specific clauses checked on a contract's key terms (the 女职工专项 checklist). */
export const WOMEN_CLAUSES: Record<string, string> = {
  prenatal_time: '孕期检查计入劳动时间',
  merged_leave: '生育假与产假合并',
  parental_leave: '育儿假',
  nursing: '哺乳期保护',
  harassment: '防范性骚扰',
  complaints: '投诉渠道',
  health_check: '妇科及乳腺检查',
};

export const BARGAINING_STAGES: Record<BargainingStage, string> = {
  pending: '待发出要约',
  offered: '已发出要约',
  responded: '已应约',
  negotiating: '协商中',
  signed: '已签订',
};
export const STAGE_ORDER: BargainingStage[] = ['pending', 'offered', 'responded', 'negotiating', 'signed'];
