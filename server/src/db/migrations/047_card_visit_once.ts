import { sql, type Kysely } from 'kysely';

/**
 * A member card scanned at a site counts once per site per day, like a worker's QR check-in: a scanner
 * that fires twice, or a member scanned again at lunch, is one visit. The visit keeps a keyed hash of the
 * card's person (a blind index, not the person's id), enough to tell the same card again and no more.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table station_visits add column card_key text`.execute(db);
  await sql`create unique index station_visits_card_once on station_visits (station_id, card_key, day) where source = 'card' and card_key is not null`.execute(db);
}
