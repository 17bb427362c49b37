// Dictionaries of the hardship files, shared with the aid figures.
export const HARDSHIP_CAUSES = {
  illness: '因病',
  disability: '因残',
  schooling: '因子女就学',
  disaster: '因灾',
  accident: '因意外',
  unemployment: '失业',
  low_income: '收入低',
  other: '其他',
} as const;
export type HardshipCause = keyof typeof HARDSHIP_CAUSES;
export const HARDSHIP_CAUSE_CODES = Object.keys(HARDSHIP_CAUSES) as [HardshipCause, ...HardshipCause[]];

export const HARDSHIP_STATUSES = {
  submitted: '待基层初审',
  visiting: '待入户核实',
  county_review: '待县级审核',
  notice: '公示中',
  established: '已建档',
  closed: '已解困脱困',
  rejected: '已驳回',
} as const;
export type HardshipStatus = keyof typeof HARDSHIP_STATUSES;
/** A file in one of these no longer holds the household. */
export const CLOSED_STATUSES: HardshipStatus[] = ['rejected', 'closed'];

export const causeLabel = (cause: string | null | undefined) => (cause ? ((HARDSHIP_CAUSES as Record<string, string>)[cause] ?? cause) : '未分类');
