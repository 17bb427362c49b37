// npm run restore -- <file> [--force]
import { loadConfig } from '../config.js';
import { restorePglite } from '../db/backup.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const config = loadConfig();
if (config.databaseUrl) {
  console.error('PostgreSQL 请用 pg_restore 恢复：pg_restore --clean --if-exists --dbname "$DATABASE_URL" <备份文件>');
  process.exit(1);
}
if (!file) {
  console.error('用法：npm run restore -- <备份文件.tar.gz> [--force]');
  process.exit(1);
}
try {
  const { movedAside } = await restorePglite(file, config.dataDir, { force: args.includes('--force') });
  console.log(`已从 ${file} 恢复到 ${config.dataDir}${movedAside ? `（原数据库已改名为 ${movedAside}）` : ''}`);
} catch (err) {
  console.error(`恢复失败：${(err as Error).message}`);
  process.exit(1);
}
