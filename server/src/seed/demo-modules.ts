// Demo data for the modules after issue 3 (service applications, aid budgets, activities …), loaded
// by `npm start` on an empty database after the org tree and accounts (seed/demo.ts). Not part of
// the integration-test template, whose tests build their own records.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { seedAidDemo } from '../modules/aid/aid.demo.js';
import { seedActivitiesDemo } from '../modules/activities/activities.demo.js';
import { seedActivityTypesDemo } from '../modules/activities/activity-types.demo.js';
import { seedStationsDemo } from './demo-stations.js';

export async function seedModuleDemos(db: Kysely<DB>, opts: { now: Date }): Promise<string[]> {
  const loaded: string[] = [];
  const aid = await seedAidDemo(db, opts.now);
  if (aid) loaded.push(aid);
  const activities = await seedActivitiesDemo(db, opts.now);
  if (activities) loaded.push(activities);
  const activityTypes = await seedActivityTypesDemo(db, opts.now);
  if (activityTypes) loaded.push(activityTypes);
  const stations = await seedStationsDemo(db, opts.now);
  if (stations) loaded.push(stations);
  void db;
  void opts;
  return loaded;
}
