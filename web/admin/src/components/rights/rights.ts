// 维权 in the console: the dictionaries (loaded once from the server, with a built-in fallback) and
// the shapes the pages read.
import { reactive } from 'vue';
import { api } from '../../../../shared/api';
import { serverToday } from '../../session';

export interface Code {
  code: string;
  label: string;
}
export const dict = reactive({
  channels: [
    { code: 'window', label: '窗口/来访' },
    { code: 'hotline', label: '12351 热线' },
    { code: 'online', label: 'H5 在线咨询' },
    { code: 'station', label: '驿站' },
    { code: 'petition', label: '信访' },
  ] as Code[],
  topics: [] as Code[],
  outcomes: [] as Code[],
  caseStatuses: [] as Code[],
  legalAidStages: [] as Code[],
  poolKinds: [] as Code[],
  letterKinds: [] as Code[],
  letterStatuses: [] as Code[],
  ticketStatuses: [] as Code[],
  checkupStatuses: [] as Code[],
  riskLevels: [] as Code[],
  findingResults: [] as Code[],
  informantKinds: [] as Code[],
  riskKinds: [] as Code[],
  riskGrades: [] as Code[],
  riskStatuses: [] as Code[],
  loaded: false,
});

export async function loadDict() {
  if (dict.loaded) return;
  Object.assign(dict, await api<typeof dict>('GET', '/api/rights/dictionaries'), { loaded: true });
}

export const labelOf = (list: Code[], code: string | null | undefined) => list.find((c) => c.code === code)?.label ?? '—';

export interface PoolEntry {
  id: string;
  name: string;
  organisation: string;
  speciality: string;
  kind: string;
  kindLabel: string;
  available: boolean;
  org: { id: string; name: string };
  openCases: number;
}

export const caseTag = (status: string) =>
  (
    ({ open: 'warning', succeeded: 'success', failed: 'danger', withdrawn: 'info', closed: 'success' }) as Record<
      string,
      'warning' | 'success' | 'danger' | 'info'
    >
  )[status] ?? 'info';
export const letterTag = (status: string) =>
  (
    ({ issued: 'warning', replied: 'primary', rectified: 'success', refused: 'danger', escalated: 'danger', answered: 'success' }) as Record<
      string,
      'warning' | 'success' | 'danger' | 'info' | 'primary'
    >
  )[status] ?? 'info';
export const ticketTag = (status: string) =>
  (({ open: 'warning', answered: 'primary', called_back: 'success', closed: 'info' }) as Record<string, 'warning' | 'success' | 'info' | 'primary'>)[status] ??
  'info';

/** Query values of a route as plain strings (unknown keys dropped). */
export function pick(q: Record<string, unknown>, keys: readonly string[]) {
  const out: Record<string, string> = {};
  for (const k of keys) if (typeof q[k] === 'string' && q[k]) out[k] = q[k] as string;
  return out;
}
export const today = serverToday;
export const checkupTag = (status: string) =>
  (({ open: 'warning', rectifying: 'primary', closed: 'success' }) as Record<string, 'warning' | 'success' | 'primary'>)[status] ?? 'info';
export const riskLevelTag = (level: string | null) =>
  (({ low: 'success', medium: 'warning', high: 'danger' }) as Record<string, 'warning' | 'success' | 'danger'>)[level ?? ''] ?? 'info';
export const gradeTag = (grade: string | null) =>
  (({ general: 'info', major: 'warning', severe: 'danger' }) as Record<string, 'warning' | 'info' | 'danger'>)[grade ?? ''] ?? 'primary';

/** A fresh idempotency key for one submission (kept across retries of that submission). */
export const newKey = () => `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/** The 法治体检报告 as the server renders it (the .docx has the same text). */
export interface CheckupReportDoc {
  issuer: string;
  reportNo: string;
  employerName: string;
  checkedOn: string;
  inspectors: string[];
  riskLabel: string;
  summary: string;
  findings: { title: string; resultLabel: string; note: string }[];
  rectifications: { task: string; owner: string; dueOn: string; statusLabel: string }[];
  closingNote: string | null;
  issuedOn: string;
}
