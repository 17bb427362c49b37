// Wiring shared by the server entry point, the CLI and the tests.
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { AppDeps } from './platform/context.js';
import { createFieldCrypto } from './platform/crypto.js';
import { LogSmsProvider, type SmsProvider } from './platform/sms.js';
import { seedDemo } from './seed/demo.js';
import { holdsBusinessData } from './seed/business-data.js';
import { checkKeys } from './key-check.js';
import { ensureReferenceData } from './seed/reference.js';
import { seedModuleDemos } from './seed/demo-modules.js';

/** `log`: where the read replica's warnings go (ignored on PGlite, down, lagging: decision 038). */
export async function openConfiguredDatabase(config: Config, log?: (message: string) => void): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, replicaUrl: config.databaseReplicaUrl ?? null, ...(log && { log }) });
}

/**
 * Migrations; with `config`, the key check (refuses keys that did not write this database, records
 * them on a fresh one: key-check.ts); built-in roles; and the demo data, only into a database that
 * holds no business data (seed/business-data.ts) — decided once, before anything is loaded, and
 * answered as `seeded` so that main loads the rest of the demo (people) in the same start only.
 */
export async function prepareDatabase(database: Database, opts: { seed: boolean; log?: (m: string) => void; config?: Config }) {
  const applied = await migrateToLatest(database.db);
  // A count and the last one: the first start applies every migration, and a list of fifty is noise.
  if (applied.length)
    opts.log?.(applied.length > 3 ? `已执行数据库迁移 ${applied.length} 项（${applied[0]} … ${applied.at(-1)}）` : `已执行数据库迁移：${applied.join('、')}`);
  if (opts.config) await checkKeys(database.db, opts.config, opts.log);
  const empty = !(await holdsBusinessData(database.db));
  await ensureReferenceData(database.db);
  if (opts.seed && empty) {
    opts.log?.('首次启动：正在载入演示数据（盐城市行政区划与合成企业工会）…');
    const started = Date.now();
    const r = await seedDemo(database.db);
    const extra = await seedModuleDemos(database.db, { now: new Date() });
    if (extra.length) opts.log?.(`演示业务数据：${extra.join('，')}`);
    opts.log?.(`演示数据已载入：${r.orgs} 个工会组织，${r.accounts.length} 个演示账号，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
    return { seeded: true };
  }
  if (opts.seed) opts.log?.('数据库中已有数据：不载入演示数据');
  return { seeded: false };
}

export function createDeps(config: Config, database: Database, overrides: { clock?: Clock; sms?: SmsProvider } = {}): AppDeps {
  return {
    config,
    database,
    clock: overrides.clock ?? systemClock,
    crypto: createFieldCrypto(config.secrets),
    sms: overrides.sms ?? new LogSmsProvider(),
  };
}
