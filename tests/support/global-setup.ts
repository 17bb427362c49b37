import { mkdirSync, writeFileSync } from 'node:fs';
import { openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { ensureBuiltinRoles, seedDemo } from '../../server/src/seed/demo.js';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE_FILE, TEST_TMP, databaseUrlFor, testDbKind, withAdminClient } from './test-db.js';

// Migrate and seed once per run; every test file then copies this template.
export default async function setup() {
  mkdirSync(TEST_TMP, { recursive: true });
  if (testDbKind() === 'pglite') {
    const database = await openDatabase({ memory: true });
    await migrateToLatest(database.db);
    await ensureBuiltinRoles(database.db);
    await seedDemo(database.db);
    const dump = await database.pglite!.dumpDataDir('gzip');
    writeFileSync(PGLITE_TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    return;
  }
  await withAdminClient(async (c) => {
    await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname like 'gonghui_test_%' and pid <> pg_backend_pid()`);
    const old = await c.query<{ datname: string }>(`select datname from pg_database where datname like 'gonghui_test_%'`);
    for (const { datname } of old.rows) await c.query(`drop database if exists ${datname}`);
    await c.query(`create database ${PG_TEMPLATE_DB}`);
  });
  const database = await openDatabase({ databaseUrl: databaseUrlFor(PG_TEMPLATE_DB), poolSize: 2 });
  await migrateToLatest(database.db);
  await ensureBuiltinRoles(database.db);
  await seedDemo(database.db);
  await database.close();
}
