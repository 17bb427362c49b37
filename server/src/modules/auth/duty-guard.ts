// Applies the duty matrix (duties.ts) inside a service's transaction, and audits every refusal.
import type { AppDeps, RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditActor, type AuditEntry, type AuditService } from '../audit/audit.service.js';
import { ACTION_LABELS, actorDuty, DUTY_LABELS, mayAct, type AccountAction, type Duty } from './duties.js';

/** A refusal by the duty matrix. Carries its audit row: written after the transaction rolls back. */
export class DutyRefusal extends AppError {
  constructor(
    message: string,
    readonly entry: AuditEntry,
  ) {
    super('DUTY_SEPARATION', message);
  }
}

export interface DutyTarget {
  type: 'account' | 'role';
  id: string | null;
  orgId: string | null;
  /** Username or role code, for the audit row. */
  name: string;
}

/** Throws a DutyRefusal unless the actor's duty may do `action` to every one of `duties`. */
export function requireDuty(actor: StaffActor, meta: RequestMeta, action: AccountAction, duties: Duty[], target: DutyTarget): void {
  const duty = actorDuty(actor);
  const refused = duties.find((d) => !mayAct(duty, action, d));
  if (refused === undefined) return;
  const what = target.type === 'account' ? `${DUTY_LABELS[refused]}账号` : `${DUTY_LABELS[refused]}职责的角色`;
  throw new DutyRefusal(`三员职责分离：${DUTY_LABELS[duty]}不能对${what}执行「${ACTION_LABELS[action]}」`, {
    ...auditActor(actor, meta),
    action: `${target.type}.${action}`,
    targetType: target.type,
    targetId: target.id,
    orgId: target.orgId,
    outcome: 'failure',
    detail: { reason: 'duty_separation', actorDuty: duty, targetDuties: duties, name: target.name },
  });
}

/** Runs a guarded write; a refusal is audited (in its own transaction, after the write's rolled back). */
export function createDutyAudit(deps: AppDeps & { audit: AuditService }) {
  return async function guarded<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DutyRefusal) await deps.audit.record(err.entry);
      throw err;
    }
  };
}
