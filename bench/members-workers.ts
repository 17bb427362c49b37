// Worker accounts with sessions (as after an SMS login), for the members bench's join phase.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../server/src/db/schema.js';
import { maskPhone, sm3, type FieldCrypto } from '../server/src/platform/crypto.js';
import { PHONE_DOMAIN } from '../server/src/modules/members/members.service.js';

export async function createWorkerSessions(db: Kysely<DB>, crypto: FieldCrypto) {
  // ---- workers with sessions (as after an SMS login), for the join phase ----
  const WORKERS = 20_000;
  const workerTokens: { token: string; csrf: string; n: number }[] = [];
  for (let i = 0; i < WORKERS; i += 2000) {
    const phones: string[] = [];
    for (let k = i; k < Math.min(WORKERS, i + 2000); k++) phones.push(`19${String(k).padStart(9, '0')}`);
    const ids = await sql<{ id: string }>`
      insert into workers (phone_enc, phone_bidx, phone_masked)
      select * from unnest(${phones.map((ph) => crypto.encrypt(ph))}::text[], ${phones.map((ph) => crypto.blindIndex(ph, PHONE_DOMAIN))}::text[],
        ${phones.map(maskPhone)}::text[]) returning id`.execute(db);
    const toks = ids.rows.map((r, k) => ({
      id: String(r.id),
      token: randomBytes(32).toString('base64url'),
      csrf: randomBytes(24).toString('base64url'),
      n: i + k,
    }));
    const at = new Date();
    const exp = new Date(at.getTime() + 86400_000);
    await sql`
      insert into sessions (id, subject_type, worker_id, csrf_token, created_at, last_seen_at, expires_at)
      select s, 'worker', w, c, ${at}::timestamptz, ${at}::timestamptz, ${exp}::timestamptz
      from unnest(${toks.map((t) => sm3(`session:${t.token}`))}::text[], ${toks.map((t) => t.id)}::int8[], ${toks.map((t) => t.csrf)}::text[]) as x(s, w, c)`.execute(
      db,
    );
    workerTokens.push(...toks);
  }

  return workerTokens;
}
