import { sql, type Kysely } from 'kysely';

/**
 * Activities (issue 11, items 3 and 4; decision 017):
 * - family places are one definition per batch: the batch's family pool (`places_family`, already
 *   there) and how many family members one enrollment may bring (`family_per_person`, 0–4). The
 *   activity-wide `settings.maxFamily` of 疗休养 moves onto each batch (capped by its pool) and leaves
 *   the settings;
 * - who may enroll in a batch (`eligibility`: 劳模 only, 一线职工 only, 就业形态, age range, sex),
 *   checked by the server against the member's record;
 * - 一线职工 on the roll (`memberships.is_frontline`), so the 一线 rule reads a fact, not a claim;
 * - who pays: the union's share and the member's own share per person, in fen; `cost_per_person`
 *   stays their sum. Existing activities were paid by the union: union share = cost per person.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table activities
      add column union_share_fen int not null default 0 check (union_share_fen between 0 and 100000000),
      add column personal_share_fen int not null default 0 check (personal_share_fen between 0 and 100000000)`.execute(db);
  await sql`update activities set union_share_fen = least(round(cost_per_person * 100), 100000000)::int where cost_per_person > 0`.execute(db);
  await sql`
    alter table activity_batches
      add column family_per_person smallint not null default 0 check (family_per_person between 0 and 4),
      add column eligibility jsonb not null default '{}'`.execute(db);
  await sql`
    update activity_batches b
    set family_per_person = least(greatest((a.settings->>'maxFamily')::int, 0), 4, b.places_family)
    from activities a
    where a.id = b.activity_id and a.type = 'recuperation' and jsonb_typeof(a.settings->'maxFamily') = 'number'`.execute(db);
  await sql`update activities set settings = settings - 'maxFamily' where settings ? 'maxFamily'`.execute(db);
  await sql`alter table memberships add column is_frontline boolean not null default false`.execute(db);
}
