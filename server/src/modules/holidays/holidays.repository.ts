import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { HolidayKind } from '../../db/schema-holidays.js';

export type Executor = Kysely<DB> | Transaction<DB>;

export const holidaysRepository = {
  /** Every live special day: the calendar the SLAs count with (a few dozen rows a year). */
  async calendarDays(db: Executor) {
    return db.selectFrom('holidays').select(['day', 'kind']).where('removed_at', 'is', null).execute();
  },

  async listYear(db: Executor, year: number) {
    return db
      .selectFrom('holidays')
      .select(['day', 'kind', 'name', 'updated_at', 'updated_by'])
      .where('removed_at', 'is', null)
      .where('day', '>=', `${year}-01-01`)
      .where('day', '<=', `${year}-12-31`)
      .orderBy('day')
      .execute();
  },

  /** The seed: days not in the table yet (a removed day stays removed). */
  async insertMissing(db: Executor, rows: { day: string; kind: HolidayKind; name: string }[]) {
    if (!rows.length) return;
    await db
      .insertInto('holidays')
      .values(rows)
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
  },

  /** Adds a day, or brings back a removed one; nothing when the day is already set. */
  async add(db: Executor, row: { day: string; kind: HolidayKind; name: string; updated_at: Date; updated_by: string }) {
    return db
      .insertInto('holidays')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('day')
          .doUpdateSet({ kind: row.kind, name: row.name, removed_at: null, updated_at: row.updated_at, updated_by: row.updated_by })
          .where('holidays.removed_at', 'is not', null),
      )
      .returning(['day', 'kind', 'name'])
      .executeTakeFirst();
  },

  async existing(db: Executor, day: string) {
    return db.selectFrom('holidays').select(['day', 'kind', 'name']).where('day', '=', day).where('removed_at', 'is', null).executeTakeFirst();
  },

  async remove(db: Executor, day: string, at: Date, by: string) {
    return db
      .updateTable('holidays')
      .set({ removed_at: at, updated_at: at, updated_by: by })
      .where('day', '=', day)
      .where('removed_at', 'is', null)
      .returning(['day', 'kind', 'name'])
      .executeTakeFirst();
  },
};
