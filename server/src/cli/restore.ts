// npm run restore -- <file> [--force]: the database (PGlite), then the attachments from
// `<file>.files.tar.gz` beside it into DATA_DIR/files. With PostgreSQL, the attachments only
// (the database is pg_restore's).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, secretsFile } from '../config.js';
import { filesArchiveFor, hasFiles, restoreFiles, restorePglite, setAnchorsAside } from '../db/backup.js';
import { openDatabase } from '../db/database.js';
import { compareKeys, keyMismatchMessage } from '../key-check.js';
import { localFilesRoot } from '../modules/applications/applications.files.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const force = args.includes('--force');
const config = loadConfig();
if (!file) {
  console.error('用法：npm run restore -- <备份文件> [--force]（同目录下的附件备份 <备份文件名>.files.tar.gz 会一并恢复）');
  process.exit(1);
}
const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const filesFile = filesArchiveFor(resolve(file));
const filesDir = localFilesRoot(config.dataDir);
try {
  if (!existsSync(file)) throw new Error(`找不到备份文件 ${file}`);
  const withFiles = existsSync(filesFile);
  // Refuse before anything changes, so a refusal leaves the data folder as it was.
  if (withFiles && !force && hasFiles(config.dataDir))
    throw new Error(`数据目录 ${config.dataDir} 中已有附件（files 文件夹）。确认要用备份替换时加 --force（原数据库和附件都会改名保留）。`);
  if (config.databaseUrl) {
    console.log(`第 1 步：数据库（PostgreSQL）请用 pg_restore 恢复：pg_restore --clean --if-exists --dbname "$DATABASE_URL" ${file}`);
  } else {
    console.log(`第 1 步：恢复数据库 ← ${file}`);
    const { movedAside } = await restorePglite(file, config.dataDir, { force });
    console.log(`数据库已恢复到 ${config.dataDir}${movedAside ? `（原数据库已改名为 ${movedAside}）` : ''}`);
    await reportKeys();
  }
  // The anchors written since the backup describe the database it replaces (decision 011).
  const anchorsAside = setAnchorsAside(config.dataDir);
  if (anchorsAside) console.log(`审计链锚点文件已改名保留为 ${anchorsAside}（恢复的数据库从新的锚点文件开始）`);
  if (!withFiles) {
    console.log(`第 2 步：未找到附件备份 ${filesFile}，跳过附件恢复（早期版本的备份只含数据库；如另有附件备份，请把它放回 ${filesDir}）`);
  } else {
    console.log(`第 2 步：恢复附件 ← ${filesFile}`);
    const r = await restoreFiles(filesFile, config.dataDir, { force });
    console.log(`附件已恢复：${r.files} 个文件，共 ${mb(r.bytes)} → ${filesDir}${r.movedAside ? `（原附件已改名为 ${r.movedAside}）` : ''}`);
  }
  console.log(
    config.databaseUrl
      ? '附件恢复已处理；数据库请按第 1 步用 pg_restore 恢复，并以写入这份数据时的密钥环境变量启动（密钥不符时服务器会拒绝启动并说明缺少哪些密钥）'
      : '恢复完成',
  );
} catch (err) {
  console.error(`恢复失败：${(err as Error).message}`);
  process.exit(1);
}

/**
 * Whether the configured keys can read the restored database (read-only: nothing is generated or
 * recorded here; npm start refuses to start on a mismatch and says the same).
 */
async function reportKeys() {
  const database = await openDatabase({ dataDir: config.dataDir });
  try {
    const c = await compareKeys(database.db, config);
    if (c.missing.length || c.mismatched.length) {
      console.error(
        keyMismatchMessage(
          config,
          c,
          `警告：恢复的数据库与当前的密钥不匹配，npm start 将拒绝启动。/ Warning: the restored database does not match the configured keys; npm start will refuse to start.`,
        ),
      );
    } else if (c.unchecked.length === 0) {
      console.log('密钥校验：当前密钥与恢复的数据库相符');
    } else {
      console.log(
        `密钥校验：恢复的数据库中没有密钥校验值（备份早于密钥校验），首次启动时以当前密钥记录；请确认 ${secretsFile(config.dataDir)} 或密钥环境变量就是写入这份数据时的密钥`,
      );
    }
  } finally {
    await database.close();
  }
}
