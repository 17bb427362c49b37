// 劳模工匠 console types and labels (GET /api/models/dictionary, /api/models/people …).
export interface ModelsDictionary {
  honourKinds: { code: string; name: string; short: string; group: string; body: string }[];
  statuses: { code: string; name: string }[];
  benefits: { code: string; name: string }[];
}

export interface ModelRow {
  id: string;
  name: string;
  sex: 'M' | 'F' | null;
  idMasked: string | null;
  phoneMasked: string | null;
  employer: string | null;
  jobTitle: string | null;
  status: 'active' | 'retired' | 'deceased';
  statusLabel: string;
  onRoll: boolean;
  org: { id: string; name: string };
  note: string | null;
  version: number;
  honours: { kind: string; year: number; label: string }[];
}

export interface Entitlement {
  benefit: string;
  label: string;
  from: string[];
  standard: string | null;
  note: string;
  eligible: boolean;
  granted: { id: string; grantedOn: string; amount: string | null } | null;
}

export interface ModelPerson extends Omit<ModelRow, 'honours'> {
  year: number;
  honours: { id: string; kind: string; kindName: string; year: number; awardingBody: string; certificateNo: string | null }[];
  entitlements: Entitlement[];
  grants: { id: string; benefit: string; benefitLabel: string; year: number; grantedOn: string; amount: string | null; note: string | null; orgName: string }[];
  pointsByYear: { year: number; points: number; achievements: number }[];
  skillResults: SkillResult[];
  hardshipFiles: { id: string; status: string; statusLabel: string; orgName: string }[] | null;
}

export const STATUS_TAG: Record<string, 'success' | 'info' | 'warning'> = { active: 'success', retired: 'info', deceased: 'warning' };

export interface StudioRow {
  id: string;
  org: { id: string; name: string };
  kind: string;
  kindLabel: string;
  name: string;
  lead: { id: string; name: string } | null;
  enterprise: { id: string; name: string } | null;
  field: string;
  level: string;
  levelLabel: string;
  namedYear: number;
  members: number;
  status: string;
  achievementCount?: number;
  solvedCount?: number;
  version: number;
}

export interface ProblemRow {
  id: string;
  org: { id: string; name: string };
  enterprise: { id: string; name: string };
  title: string;
  field: string;
  description: string;
  postedOn: string;
  deadline: string;
  overdue: boolean;
  status: 'open' | 'claimed' | 'solved' | 'confirmed' | 'withdrawn';
  statusLabel: string;
  studio: { id: string; name: string } | null;
  solver: { id: string; name: string } | null;
  claimedOn: string | null;
  solvedOn: string | null;
  result: string | null;
  peopleInvolved: number | null;
  confirmedOn: string | null;
  confirmedBy: string | null;
  confirmNote: string | null;
  version: number;
}

export const PROBLEM_TAG: Record<string, 'info' | 'warning' | 'primary' | 'success' | 'danger'> = {
  open: 'danger',
  claimed: 'warning',
  solved: 'primary',
  confirmed: 'success',
  withdrawn: 'info',
};
export const STUDIO_KINDS: Record<string, string> = { model: '劳模创新工作室', worker: '职工创新工作室', women: '女职工创新工作室', craftsman: '工匠创新工作室', alliance: '创新工作室联盟' };
export const STUDIO_LEVELS: Record<string, string> = { county: '县级', city: '市级', provincial: '省级', national: '全国示范性' };
export const ACHIEVEMENT_KINDS: Record<string, string> = { patent: '专利', innovation: '技术革新', five_small: '五小成果', apprentice: '培养徒弟', benefit: '创效' };
export const PROBLEM_STATUSES: Record<string, string> = { open: '待揭榜', claimed: '攻关中', solved: '待企业确认', confirmed: '已解决', withdrawn: '已撤回' };

export interface SkillResult {
  id: string;
  year: number;
  competition: string;
  levelLabel: string;
  mapsToLabel: string;
  placing: string;
  grants: string;
  certificateNo: string | null;
  activity: string | null;
}
