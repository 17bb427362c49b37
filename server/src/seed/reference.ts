// Reference data every database needs (production too), brought up to date at every start:
// built-in roles, and each module's built-ins (e.g. the seeded service catalogue).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { ensureBuiltinRoles } from './demo.js';
import { ensureAidFunds } from '../modules/aid/aid.service.js';
import { ensureServiceCatalogue } from '../modules/applications/applications.catalogue.js';

export async function ensureReferenceData(db: Kysely<DB>): Promise<void> {
  await ensureBuiltinRoles(db);
  await ensureAidFunds(db);
  await ensureServiceCatalogue(db);
}
