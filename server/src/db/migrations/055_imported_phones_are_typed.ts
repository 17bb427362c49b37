import { sql, type Kysely } from 'kysely';

/**
 * Decision 044: a phone that came with a person from staff or an import proves nothing about who
 * holds it, like a phone staff corrected (034, decision 022). From now on such a phone is marked as it
 * is written; this marks the phones already on the roll of people no account is linked to — they came
 * from an import, staff or a partner (an H5 application links its account on approval), and any of
 * them could be a spare phone typed under another person's ID number. Linked people keep theirs
 * unmarked: the mark is read only while nobody is linked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update people set phone_set_by_staff_at = coalesce(updated_at, now())
    where worker_id is null and phone_bidx is not null and phone_set_by_staff_at is null`.execute(db);
}
