// Reference data every database needs (production too), brought up to date at every start:
// built-in roles, and each module's built-ins (e.g. the seeded service catalogue, the published
// holiday schedules — missing days only, so staff edits stay).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { ensureBuiltinRoles } from './demo.js';
import { ensureAidFunds } from '../modules/aid/aid.service.js';
import { ensureServiceCatalogue } from '../modules/applications/applications.catalogue.js';
import { ensureHolidays } from '../modules/holidays/holidays.service.js';

export async function ensureReferenceData(db: Kysely<DB>): Promise<void> {
  await ensureBuiltinRoles(db);
  await ensureAidFunds(db);
  await ensureServiceCatalogue(db);
  await ensureHolidays(db);
}
