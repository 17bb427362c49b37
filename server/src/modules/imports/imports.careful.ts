// The row-by-row path of an import: each row in a savepoint through the members service. The
// fallback when a chunk's set-based merge meets a race it does not absorb (it rolls back and the
// chunk is redone here), and `careful` mode (tests check both paths give the same result).
import { sql, type Transaction } from 'kysely';
import { isUniqueViolation } from '../../db/errors.js';
import type { DB, ImportJob } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { identityDiffersMessage } from '../members/members.bulk.js';
import { PHONE_DOMAIN } from '../members/members.people.js';
import type { PersonInput } from '../members/members.schema.js';
import type { EventActor } from '../members/members.service.js';
import type { ModuleContext } from '../module-context.js';
import { header, type ParsedRow } from './imports.parse.js';

export const OTHER_UNION = `${header('idNumber')}：此人已是其他工会的会员（一人只能加入一个工会），请办理会籍转接`;

export interface ChunkError {
  rowNo: number;
  reason: string;
  /** The row's original cells as JSON, encrypted. */
  valuesEnc: string;
}

export interface ChunkResult {
  added: number;
  skipped: number;
  errors: ChunkError[];
}

/** A valid row (not a duplicate within the file), with its cells for the error report. */
export interface CarefulRow {
  rowNo: number;
  cells: string[];
  parsed: Extract<ParsedRow, { ok: true }>;
}

export function createCarefulWriter(ctx: ModuleContext) {
  const c = ctx.crypto;

  /** Whether a person (by identity) is a live member of the job's union (→ skipped) or of another one (→ error). */
  async function liveWhere(trx: Transaction<DB>, job: ImportJob, person: PersonInput): Promise<'here' | 'elsewhere' | null> {
    const known = await ctx.members.personByIdNumber(trx, person.idType, person.idNumber);
    const live = known ? await ctx.members.liveMembership(trx, known.id) : undefined;
    return !live ? null : live.org_id === job.org_id ? 'here' : 'elsewhere';
  }

  return async function writeCareful(trx: Transaction<DB>, job: ImportJob, rows: CarefulRow[], out: ChunkResult): Promise<ChunkResult> {
    const actor: EventActor = { type: 'import', id: job.id, name: job.file_name };
    const fail = (r: CarefulRow, reason: string) => out.errors.push({ rowNo: r.rowNo, reason, valuesEnc: c.encrypt(JSON.stringify(r.cells)) });
    for (const r of rows) {
      const { person, employment, joinedOn } = r.parsed;
      await sql`savepoint import_row`.execute(trx);
      try {
        const where = await liveWhere(trx, job, person);
        if (where === 'here') out.skipped++;
        else if (where === 'elsewhere') fail(r, OTHER_UNION);
        else {
          // A person already on the roll is admitted as the roll has them, never rewritten (decision 009).
          const known = await ctx.members.personByIdNumber(trx, person.idType, person.idNumber);
          const differs = known && ctx.members.differences(known, { name: person.name, phoneBidx: c.blindIndex(person.phone, PHONE_DOMAIN) });
          if (differs && (differs.name || differs.phone)) {
            fail(r, `${header('idNumber')}：${identityDiffersMessage(differs)}`);
          } else {
            // identify marks a new person's phone as typed (decision 044), as the staged merge does.
            const p = known ?? (await ctx.members.identify(trx, person));
            await ctx.members.admit(trx, { person: p, orgId: job.org_id, employment, source: 'import', joinedOn, actor });
            out.added++;
          }
        }
        await sql`release savepoint import_row`.execute(trx);
      } catch (err) {
        await sql`rollback to savepoint import_row`.execute(trx);
        if (!(err instanceof AppError) && !isUniqueViolation(err)) throw err;
        const reason =
          err instanceof AppError && err.message.includes('一个工会')
            ? OTHER_UNION
            : err instanceof AppError
              ? err.message
              : '与同时进行的其他操作冲突，请重新导入';
        fail(r, reason);
      }
    }
    return out;
  };
}
