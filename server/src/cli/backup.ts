// npm run backup [-- <file>]
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { backupPglite } from '../db/backup.js';

const config = loadConfig();
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
try {
  if (config.databaseUrl) {
    const out = resolve(process.argv[2] ?? `backups/gonghui-${stamp}.dump`);
    console.log(`PostgreSQL：执行 pg_dump --format=custom → ${out}`);
    const r = spawnSync('pg_dump', ['--format=custom', '--file', out, config.databaseUrl], { stdio: 'inherit' });
    if (r.error)
      throw new Error(`无法运行 pg_dump（${r.error.message}）。请安装 PostgreSQL 客户端，或手工执行：pg_dump --format=custom --file ${out} "$DATABASE_URL"`);
    if (r.status !== 0) process.exit(r.status ?? 1);
    console.log(`备份完成：${out}\n恢复：pg_restore --clean --if-exists --dbname "$DATABASE_URL" ${out}`);
  } else {
    const out = resolve(process.argv[2] ?? `backups/gonghui-${stamp}.tar.gz`);
    const { bytes } = await backupPglite(config.dataDir, out);
    console.log(`备份完成：${out}（${(bytes / 1024 / 1024).toFixed(1)} MB）\n恢复：npm run restore -- ${out}`);
  }
} catch (err) {
  console.error(`备份失败：${(err as Error).message}`);
  process.exit(1);
}
