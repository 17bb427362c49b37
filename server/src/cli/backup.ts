// npm run backup [-- <file>]: the database, then the uploaded attachments (DATA_DIR/files) into
// `<file>.files.tar.gz` beside it.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { loadConfig, secretsFile } from '../config.js';
import { backupFiles, backupPglite, createPrivateFile, filesArchiveFor } from '../db/backup.js';
import { localFilesRoot } from '../modules/applications/applications.files.js';

const config = loadConfig();
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
try {
  let out: string;
  if (config.databaseUrl) {
    out = resolve(process.argv[2] ?? `backups/gonghui-${stamp}.dump`);
    createPrivateFile(out); // 0600 before pg_dump writes a byte into it
    console.log(`第 1 步：备份数据库（PostgreSQL，pg_dump --format=custom）→ ${out}`);
    const r = spawnSync('pg_dump', ['--format=custom', '--file', out, config.databaseUrl], { stdio: 'inherit' });
    if (r.error)
      throw new Error(`无法运行 pg_dump（${r.error.message}）。请安装 PostgreSQL 客户端，或手工执行：pg_dump --format=custom --file ${out} "$DATABASE_URL"`);
    if (r.status !== 0) throw new Error(`pg_dump 退出码 ${r.status ?? '未知'}，数据库未备份`);
    console.log('数据库备份完成');
  } else {
    out = resolve(process.argv[2] ?? `backups/gonghui-${stamp}.tar.gz`);
    console.log(`第 1 步：备份数据库（PGlite）→ ${out}`);
    const { bytes } = await backupPglite(config.dataDir, out);
    console.log(`数据库备份完成（${mb(bytes)}）`);
  }
  const filesOut = filesArchiveFor(out);
  console.log(`第 2 步：备份附件（${localFilesRoot(config.dataDir)}）→ ${filesOut}`);
  const f = await backupFiles(config.dataDir, filesOut);
  console.log(f.files ? `附件备份完成：${f.files} 个文件，共 ${mb(f.bytes)}` : '附件备份完成：目前没有附件（已写入空的附件备份）');
  console.log(
    [
      '备份完成，以下两个文件请一起保存（仅所有者可读，0600）：',
      `  数据库：${out}`,
      `  附件：  ${filesOut}`,
      // The keys are not in the backup: without them the encrypted fields cannot be read (decision 011).
      config.secretSources && Object.values(config.secretSources).some((s) => s === 'file')
        ? `密钥不在备份中：请把 ${secretsFile(config.dataDir)} 与这份备份一起保存，但分开保管（例如另一台加密存储）；恢复时放回数据目录。`
        : '密钥不在备份中：请把当前的密钥环境变量（GONGHUI_*_KEY）与这份备份一起记录，但分开保管；恢复时以同样的密钥启动。',
      config.databaseUrl
        ? `恢复：pg_restore --clean --if-exists --dbname "$DATABASE_URL" ${out}，附件用 npm run restore -- ${out}`
        : `恢复：npm run restore -- ${out}（附件一并恢复）`,
    ].join('\n'),
  );
} catch (err) {
  console.error(`备份失败：${(err as Error).message}`);
  process.exit(1);
}
