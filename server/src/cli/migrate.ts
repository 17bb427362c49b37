// npm run migrate: apply pending migrations to the configured database (PGlite or DATABASE_URL).
import { loadConfig } from '../config.js';
import { openConfiguredDatabase } from '../bootstrap.js';
import { migrateToLatest } from '../db/migrate.js';

const config = loadConfig();
const database = await openConfiguredDatabase(config).catch((err: Error) => {
  console.error(`无法打开数据库：${err.message}`);
  process.exit(1);
});
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length ? `已执行迁移：${applied.join('、')}` : '数据库已是最新，无需迁移');
} finally {
  await database.close();
}
