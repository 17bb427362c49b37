// 维权 dictionaries: what the codes stored in the rights tables mean in Chinese.
export const CHANNELS = { window: '窗口/来访', hotline: '12351 热线', online: 'H5 在线咨询', station: '驿站', petition: '信访' } as const;
export type Channel = keyof typeof CHANNELS;
export const CHANNEL_CODES = Object.keys(CHANNELS) as [Channel, ...Channel[]];

export const TOPICS = {
  pay: '劳动报酬',
  contract: '劳动合同',
  insurance: '社会保险',
  injury: '工伤',
  rest: '休息休假',
  women: '女职工特殊保护',
  new_forms: '新就业形态',
  dismissal: '解除劳动关系',
  other: '其他',
} as const;
export type Topic = keyof typeof TOPICS;
export const TOPIC_CODES = Object.keys(TOPICS) as [Topic, ...Topic[]];

export const OUTCOMES = {
  answered: '已解答',
  to_mediation: '转调解',
  to_legal_aid: '转法律援助',
  to_petition: '转信访',
  to_other: '转其他部门',
} as const;
export type Outcome = keyof typeof OUTCOMES;
export const OUTCOME_CODES = Object.keys(OUTCOMES) as [Outcome, ...Outcome[]];

export const CASE_KINDS = { mediation: '调解案件', legal_aid: '法律援助案件' } as const;
export const CASE_STATUSES = { open: '办理中', succeeded: '调解成功', failed: '调解不成', withdrawn: '撤回', closed: '已结案' } as const;
export type CaseStatusCode = keyof typeof CASE_STATUSES;
export const LEGAL_AID_STAGES = { writing: '咨询代书', arbitration: '仲裁代理', litigation: '诉讼代理' } as const;
export type LegalAidStage = keyof typeof LEGAL_AID_STAGES;
/** A mediation normally ends within this many calendar days of opening. */
export const MEDIATION_DAYS = 15;

export const POOL_KINDS = { lawyer: '律师', arbitrator: '仲裁员', cadre: '工会干部', expert: '专家' } as const;
export type PoolKindCode = keyof typeof POOL_KINDS;

export const LETTER_KINDS = { reminder: '提示函', opinion: '意见书', proposal: '建议书' } as const;
export type LetterKindCode = keyof typeof LETTER_KINDS;
export const LETTER_TITLES: Record<LetterKindCode, string> = {
  reminder: '工会劳动法律监督提示函',
  opinion: '工会劳动法律监督意见书',
  proposal: '工会劳动法律监督建议书',
};
export const LETTER_STATUSES = {
  issued: '已发出，待回复',
  replied: '已回复',
  rectified: '已整改',
  refused: '拒不整改',
  escalated: '已提请建议书',
  answered: '已获答复',
} as const;

export const TICKET_STATUSES = { open: '办理中', answered: '已办结待回访', called_back: '已回访', closed: '已关闭' } as const;

// ---- 法治体检 ----
export const CHECKUP_STATUSES = { open: '待录入体检结果', rectifying: '整改中', closed: '已办结' } as const;
export type CheckupStatusCode = keyof typeof CHECKUP_STATUSES;
export const RISK_LEVELS = { low: '低风险', medium: '中风险', high: '高风险' } as const;
export type RiskLevelCode = keyof typeof RISK_LEVELS;
export const FINDING_RESULTS = { ok: '符合', issue: '存在问题', na: '不适用' } as const;
export type FindingResultCode = keyof typeof FINDING_RESULTS;

// ---- 信息员 and 劳动关系 risk reports ----
export const INFORMANT_KINDS = { gig: '新就业形态信息员', station: '驿站工作人员', enterprise: '企业信息员', other: '其他信息员' } as const;
export type InformantKindCode = keyof typeof INFORMANT_KINDS;
export const RISK_KINDS = {
  wage_arrears: '欠薪',
  stoppage: '停工停产',
  mass_incident: '群体性事件苗头',
  platform_rules: '平台规则变化',
  other: '其他',
} as const;
export type RiskKindCode = keyof typeof RISK_KINDS;
export const RISK_GRADES = { general: '一般', major: '较大', severe: '重大' } as const;
export type RiskGradeCode = keyof typeof RISK_GRADES;
export const RISK_STATUSES = { reported: '待研判', graded: '处置中', closed: '已办结' } as const;
/** A report carries at most this many photos. */
export const RISK_PHOTO_LIMIT = 9;
