import { sql, type Kysely } from 'kysely';

/**
 * A phone that staff typed onto an existing person is not proof that the holder of that phone is
 * the person (decision 022): when it was set, so the phone-match link to a worker account — which
 * trusts the roll's phone — skips it until the person proves the phone on the H5 or a reviewer links.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table people add column phone_set_by_staff_at timestamptz`.execute(db);
}
