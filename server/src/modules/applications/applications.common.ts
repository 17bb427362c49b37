// What the applications module's parts share: the application's stored shapes (snapshot, plan,
// form values), small pure helpers, and the aid port. Split out of applications.service.ts.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ApplicationRow, ServiceTypeRow } from '../../db/schema-services.js';
import type { StaffActor } from '../../platform/context.js';
import { yuan } from '../../platform/money.js';
import type { AuditEntry } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import type { FileStore } from './applications.files.js';
import { LEVELS, type ServiceDefinition } from './applications.schema.js';

export const CONFLICT_MESSAGE = '该申请已被他人处理，请刷新后查看';

/** What the engine needs of the aid module (docs/api/aid-hardship.md). */
export interface AidPort {
  disburseIn?: (
    trx: Transaction<DB>,
    input: {
      audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>;
      budgetOrgId: string;
      year: number;
      fundCode: string;
      amount: string;
      personId: string;
      applicationId?: string | null;
      category?: string | null;
      note?: string | null;
    },
  ) => Promise<{ disbursementId: string; budgetId: string; balanceAfter: string }>;
  fundCodeOf?: (category: string) => string | null;
}

export interface Snapshot extends ServiceDefinition {
  code: string;
  name: string;
  category: string;
  applicantScope: 'member' | 'worker';
}
export interface PlanEntry {
  orgId: string;
  orgName: string;
  orgPath: string;
  orgType: string;
}
export type Plan = (PlanEntry | null)[];
export type Sensitive = { enc: string; masked: string };
export type StoredValue = string | number | Sensitive;
export type StoredValues = Record<string, StoredValue>;

export const isSensitive = (v: unknown): v is Sensitive => typeof v === 'object' && v !== null && 'enc' in v;
export const normaliseAmount = (s: string) => yuan(s);
export const appNo = (id: string) => `SQ${id.padStart(8, '0')}`;
export const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
export const pathIds = (path: string) => path.split('/').filter(Boolean);
export const label = <T extends Record<string, string>>(m: T) => Object.entries(m).map(([value, l]) => ({ value, label: l }));

/** 维权申请 stays 维权申请; 困难帮扶 becomes 困难帮扶申请 (messages name the application, not the service). */
export const asApplication = (serviceName: string) => (serviceName.endsWith('申请') ? serviceName : `${serviceName}申请`);

export const definitionOf = (t: ServiceTypeRow) => t.definition as ServiceDefinition;
export const snapshotOf = (a: Pick<ApplicationRow, 'snapshot'>) => a.snapshot as Snapshot;
export const planOf = (a: Pick<ApplicationRow, 'plan'>) => a.plan as Plan;

export const nextIndex = (plan: Plan, from: number) => {
  for (let i = from + 1; i < plan.length; i++) if (plan[i]) return i;
  return null;
};

export const finished = (at: Date) => ({
  step_permission: null,
  handling_org_id: null,
  handling_org_path: null,
  step_due_at: null,
  finished_at: at,
});

export const staffWho = (a: StaffActor) => ({ type: 'staff' as const, id: a.accountId, name: a.displayName, orgId: a.orgId });
export const workerWho = (a: ApplicationRow) => ({ type: 'worker' as const, id: a.worker_id, name: a.applicant_name, orgId: null });

export const currentStep = (a: Pick<ApplicationRow, 'snapshot' | 'step_index' | 'status'>) => {
  if (a.step_index === null || !(a.status === 'in_review' || a.status === 'returned')) return null;
  const s = snapshotOf(a).steps[a.step_index]!;
  return { key: s.key, name: a.status === 'in_review' && s.kind === 'lottery' ? `${s.name}（待抽签）` : s.name, levelLabel: LEVELS[s.level] };
};

export type ApplicationsCtx = ModuleContext & { aid: AidPort; files: FileStore };
