// The H5 claim (decision 044): a phone staff typed or imported links no account by itself, but a
// worker whose SMS-proven login phone is that phone, on exactly one person nobody is linked to, may
// link the person by typing the person's ID number — the common real case it guards against is a
// mistyped phone on the roll that belongs to a stranger, who does not know the member's ID number.
// Wrong tries are audited and count: at most CLAIM_TRIES per account in CLAIM_WINDOW_MS. The target
// is always the one the session's phone finds, never an id from the request.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestMeta, WorkerActor } from '../../platform/context.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { canonicalIdNumber, parseResidentId } from '../../platform/validators.js';
import type { Executor } from '../audit/audit.repository.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import { CLAIM_ACTION, membersClaimRepository as repo } from './members.claim.repository.js';
import { ID_DOMAIN } from './members.people.js';
import { membersRepository } from './members.repository.js';

export const CLAIM_TRIES = 5;
export const CLAIM_WINDOW_MS = 24 * 60 * 60_000;
/** The one answer to a wrong ID number: it says nothing about the person or the roll. */
export const CLAIM_MISMATCH = '证件号码与名册记录不符';
const NOTHING_TO_CLAIM = '没有可认领的会员记录';

const when = (d: Date) =>
  d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function createMembersClaimService(deps: { db: Kysely<DB>; audit: AuditService; crypto: FieldCrypto; clock: Clock }) {
  const db = deps.db;

  /** The one person the account could claim: its phone, typed, on one person nobody is linked to. */
  async function candidate(x: Executor, workerId: string, phoneBidx: string) {
    if (await membersRepository.personsByWorker(x, workerId).then((p) => p.length > 0)) return undefined;
    const hits = await repo.peopleWithPhone(x, phoneBidx);
    if (hits.length !== 1 || hits[0]!.worker_id || !hits[0]!.phone_set_by_staff_at) return undefined;
    return hits[0]!;
  }

  return {
    /** For the worker state: the person's name (the caller masks it) and union, or null. */
    async claimOf(workerId: string): Promise<{ name: string; unionName: string } | null> {
      const w = await repo.workerPhone(db, workerId);
      if (!w) return null;
      const p = await candidate(db, workerId, w.phone_bidx);
      if (!p) return null;
      const union = await repo.unionOfPerson(db, p.id);
      return { name: p.name, unionName: union?.org_name ?? '' };
    },

    /** Links the account to the person when `idNumber` is theirs; refuses (audited, counted) otherwise. */
    async claim(worker: WorkerActor, meta: RequestMeta, idNumber: string): Promise<{ claimed: true }> {
      const typed = canonicalIdNumber(idNumber);
      if (!typed) throw invalid({ idNumber: '请填写证件号码' });
      // A malformed resident ID is refused by its form alone (nothing about the person) and not counted.
      if (/^[0-9]{17}[0-9X]$/.test(typed)) {
        const parsed = parseResidentId(typed, deps.clock.now());
        if (typeof parsed === 'string') throw invalid({ idNumber: parsed }, parsed);
      }
      const now = deps.clock.now();
      const outcome = await db
        .transaction()
        .execute(async (trx) => {
          const w = await repo.workerForUpdate(trx, worker.workerId);
          if (!w) return { kind: 'none' as const };
          const tries = await repo.failedClaimsSince(trx, worker.workerId, new Date(now.getTime() - CLAIM_WINDOW_MS));
          if (Number(tries.n) >= CLAIM_TRIES) return { kind: 'limited' as const, until: new Date(new Date(tries.first_at!).getTime() + CLAIM_WINDOW_MS) };
          const p = await candidate(trx, worker.workerId, w.phone_bidx);
          if (!p) return { kind: 'none' as const };
          const union = await repo.unionOfPerson(trx, p.id);
          const entry = { ...auditActor(worker, meta), action: CLAIM_ACTION, targetType: 'person', targetId: p.id, orgId: union?.org_id ?? null };
          if (deps.crypto.blindIndex(`${p.id_type}:${typed}`, ID_DOMAIN) !== p.id_bidx) {
            await deps.audit.append(trx, { ...entry, outcome: 'failure', detail: { reason: 'id_mismatch', attempt: Number(tries.n) + 1 } });
            return { kind: 'wrong' as const };
          }
          if (!(await membersRepository.linkWorkerIfFree(trx, p.id, worker.workerId))) return { kind: 'none' as const };
          await repo.clearPhoneMark(trx, p.id);
          await deps.audit.append(trx, { ...entry, outcome: 'success', detail: { reason: 'id_claim', newWorkerId: worker.workerId } });
          return { kind: 'claimed' as const };
        })
        .catch((err: unknown) => {
          if (isUniqueViolation(err, 'people_one_per_worker')) return { kind: 'none' as const }; // a concurrent link won
          throw err;
        });
      if (outcome.kind === 'limited') throw new AppError('RATE_LIMITED', `今日认领尝试次数已达上限，请于 ${when(outcome.until)} 后再试`);
      if (outcome.kind === 'wrong') throw invalid({ idNumber: CLAIM_MISMATCH }, CLAIM_MISMATCH);
      if (outcome.kind === 'none') throw new AppError('NOT_FOUND', NOTHING_TO_CLAIM);
      return { claimed: true };
    },
  };
}

export type MembersClaimService = ReturnType<typeof createMembersClaimService>;
