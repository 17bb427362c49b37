import { sql, type Kysely } from 'kysely';

/**
 * Four eyes (decision 045): the account that did the first step of a 建会 process (started it, recorded
 * its election) may not give its 上级批复, and the account that took or solved a 助企行 problem may not
 * confirm it. The steps did not keep their account; they do now. Rows from before stay null: nobody is
 * known to have done that step, so nobody is refused on it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table union_foundings
      add column started_by bigint references staff_accounts (id),
      add column elected_by bigint references staff_accounts (id)
  `.execute(db);
  await sql`
    alter table model_problems
      add column claimed_by bigint references staff_accounts (id),
      add column solved_by bigint references staff_accounts (id)
  `.execute(db);
}
