// The enrollment rush with durable commits (docs/decisions/008, issue 9): every acknowledged
// enrollment is committed with synchronous_commit on, so its commit waits for a WAL flush. Claims
// on one batch serialise on its counter row, and a row lock is held until the commit is flushed,
// so one claim per transaction would cost one flush each, one after another (≈ 0.1 ms on an idle
// disk, 3 ms and more on a busy one: at most a few hundred enrollments a second). Instead the
// enrollments that arrive for a batch while its previous group is in PostgreSQL go in together as
// the next group: one statement, one transaction, one flush for all (platform/gate.ts keyedGroups).
// Under no contention a group is one enrollment and waits for nothing.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB } from '../../db/schema.js';
import type { EnrollmentStatus } from '../../db/schema-activities.js';
import type { DeferredAuditRow } from '../audit/audit.repository.js';
import { keyedGroups, type GroupOutcome } from '../../platform/gate.js';
import type { ClaimInsert } from './activities.repository.js';
import { rushRepository } from './activities.rush.repository.js';

/** Groups of one batch in PostgreSQL at once: one holding the row, the next already waiting for it (no round trip in between). */
export const GROUPS_PER_BATCH = 2;
/** Enrollments in one group at most (one statement; its audit rows make it grow with the group). */
export const MAX_GROUP = 32;

export interface RushItem {
  /** One enrollment into the batch's general pool, no family places. */
  claim: Omit<ClaimInsert, 'pool' | 'familyCount' | 'waitlistIfFull'>;
  /** Its audit row (audit service `deferredRow`), written by the group's statement with the enrollment's id as target. */
  audit: DeferredAuditRow;
}

export interface RushRow {
  id: string;
  status: EnrollmentStatus;
  position: number | null;
}

async function runGroup(db: Kysely<DB>, items: RushItem[]): Promise<RushRow[]> {
  const first = items[0]!.claim;
  const rows = await rushRepository.claimAndInsertGroup(
    db,
    { activityId: first.activityId, batchId: first.batchId, members: items.map((x) => x.claim) },
    items.map((x) => ({ ...x.audit, targetId: x.claim.id })),
  );
  // The waitlisted members of a group took the last positions of the new count, in arrival order.
  const waitlisted = rows.filter((r) => r.status === 'waitlisted').length;
  let rank = 0;
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    position: r.status === 'waitlisted' ? Number(r.waitlisted) - waitlisted + ++rank : null,
  }));
}

/** Submits an enrollment to its batch's next group; answers once the group's commit is flushed. */
export function rushGroups(db: Kysely<DB>) {
  return keyedGroups<RushItem, RushRow>(
    // one person twice in one group would fail it for everyone: the second try waits for the next group
    { width: GROUPS_PER_BATCH, maxGroup: MAX_GROUP, conflictKey: (x) => x.claim.personId },
    async (_batchId, items): Promise<GroupOutcome<RushRow>[]> => {
      try {
        return (await runGroup(db, items)).map((value) => ({ ok: true, value }));
      } catch (error) {
        // Someone in the group is already enrolled: nobody's row was written; each goes on its own,
        // so only that member is told 您已报名该活动.
        if (items.length === 1 || !isUniqueViolation(error, 'activity_enrollments_one_live')) return items.map(() => ({ ok: false, error }));
        const out: GroupOutcome<RushRow>[] = [];
        for (const item of items) {
          try {
            out.push({ ok: true, value: (await runGroup(db, [item]))[0]! });
          } catch (e) {
            out.push({ ok: false, error: e });
          }
        }
        return out;
      }
    },
  );
}
