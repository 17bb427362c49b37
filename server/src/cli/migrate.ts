// npm run migrate: apply pending migrations to the configured database (PGlite or DATABASE_URL),
// then check the configured keys against it (key-check.ts): a fresh database records them, a
// database written with other keys is reported (the server would refuse to start on it).
import { ConfigError, loadConfig } from '../config.js';
import { openConfiguredDatabase } from '../bootstrap.js';
import { migrateToLatest } from '../db/migrate.js';
import { checkKeys } from '../key-check.js';

const config = loadConfig();
const database = await openConfiguredDatabase(config).catch((err: Error) => {
  console.error(`无法打开数据库：${err.message}`);
  process.exit(1);
});
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length ? `已执行迁移：${applied.join('、')}` : '数据库已是最新，无需迁移');
  await checkKeys(database.db, config, (m) => console.log(m));
} catch (err) {
  console.error(err instanceof ConfigError ? `\n${err.message}\n` : `迁移失败：${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
