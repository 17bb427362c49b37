import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { seedDemo } from '../../server/src/seed/demo.js';
import { ensureReferenceData } from '../../server/src/seed/reference.js';
import { installJobSchema } from '../../server/src/platform/jobs.pgboss.js';
import { randomBytes } from 'node:crypto';
import { pgliteTemplateFile, TEST_TMP, databaseUrlFor, pgTemplateDb, testDbKind, withAdminClient } from './test-db.js';

// Migrate and seed once per run; every test file then copies this template.
export default async function setup() {
  mkdirSync(TEST_TMP, { recursive: true });
  // Test workers are forked after this runs and inherit the run id.
  process.env.GONGHUI_TEST_RUN = randomBytes(4).toString('hex');
  if (testDbKind() === 'pglite') {
    const file = pgliteTemplateFile();
    const database = await openDatabase({ memory: true });
    await migrateToLatest(database.db);
    await ensureReferenceData(database.db);
    await seedDemo(database.db);
    const dump = await database.pglite!.dumpDataDir('gzip');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    return () => rmSync(file, { force: true });
  }
  const run = process.env.GONGHUI_TEST_RUN;
  await withAdminClient((c) => c.query(`create database ${pgTemplateDb()}`));
  const database = await openDatabase({ databaseUrl: databaseUrlFor(pgTemplateDb()), poolSize: 2 });
  await migrateToLatest(database.db);
  await ensureReferenceData(database.db);
  await seedDemo(database.db);
  await database.close();
  // pg-boss's schema and the server's queues once here, so each copy's job runner starts without DDL (decision 037).
  await installJobSchema(databaseUrlFor(pgTemplateDb()));
  // Teardown: drop this run's databases (each test file drops its own copy; this catches leftovers).
  return async () => {
    await withAdminClient(async (c) => {
      const mine = await c.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`gonghui_test_%${run}%`]);
      for (const { datname } of mine.rows) await c.query(`drop database if exists ${datname} with (force)`);
    });
  };
}
