// Backups. PGlite: `dumpDataDir` of the whole cluster (a gzipped tarball) taken under the data
// folder lock, restorable into an empty folder. PostgreSQL: pg_dump / pg_restore (see README).
// Uploaded attachments (DATA_DIR/files) go into a second archive beside the database's, whatever
// the database: `<backup>.files.tar.gz`.
import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ANCHOR_FILE_NAME } from '../modules/audit/audit.anchors.js';
import { localFilesRoot } from '../modules/applications/applications.files.js';
import { acquireDataDirLock } from './lock.js';
import { extractTarGz, listFiles, writeTarGz } from './tar.js';

/**
 * Creates (or empties) a backup file readable by its owner only (0600, whatever the umask or an
 * earlier file's mode), in a folder created 0700: a backup holds every record of the database, and
 * the attachments (ID scans, medical papers). Writers then write into it (pg_dump truncates it and
 * keeps the mode).
 */
export function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'w', 0o600));
  chmodSync(file, 0o600);
}

export async function backupPglite(dataDir: string, outFile: string): Promise<{ bytes: number }> {
  const pgdata = join(dataDir, 'pgdata');
  if (!existsSync(pgdata)) throw new Error(`数据目录 ${dataDir} 中没有数据库，无需备份`);
  const release = acquireDataDirLock(dataDir);
  try {
    const pg = await PGlite.create(pgdata);
    try {
      await pg.query('checkpoint');
      const dump = await pg.dumpDataDir('gzip');
      const bytes = Buffer.from(await dump.arrayBuffer());
      createPrivateFile(outFile);
      writeFileSync(outFile, bytes);
      return { bytes: bytes.length };
    } finally {
      await pg.close();
    }
  } finally {
    release();
  }
}

/** Restores into DATA_DIR. An existing database is kept aside (pgdata.before-restore-…) only with `force`. */
export async function restorePglite(file: string, dataDir: string, opts: { force?: boolean; now?: Date } = {}): Promise<{ movedAside: string | null }> {
  const pgdata = join(dataDir, 'pgdata');
  const release = acquireDataDirLock(dataDir);
  try {
    let movedAside: string | null = null;
    if (existsSync(pgdata)) {
      if (!opts.force) throw new Error(`数据目录 ${dataDir} 中已有数据库。确认要用备份替换它时加 --force（原数据库会改名保留）。`);
      movedAside = `${pgdata}.before-restore-${(opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
      renameSync(pgdata, movedAside);
    }
    const pg = await PGlite.create(pgdata, { loadDataDir: new Blob([readFileSync(file)]) });
    try {
      await pg.query('select 1');
      await pg.query('checkpoint');
    } finally {
      await pg.close();
    }
    return { movedAside };
  } finally {
    release();
  }
}

/**
 * A restored database is older than the audit anchors written since its backup (DATA_DIR/
 * audit-anchors.log): they would flag the restored chains as rolled back. The anchors are kept aside
 * (`audit-anchors.log.before-restore-…`, evidence of what the replaced database held) and the
 * restored database starts a new anchors file. Returns where they went, or null.
 */
export function setAnchorsAside(dataDir: string, opts: { now?: Date } = {}): string | null {
  const file = join(dataDir, ANCHOR_FILE_NAME);
  if (!existsSync(file)) return null;
  const aside = `${file}.before-restore-${(opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  return aside;
}

/** The attachments' archive that belongs to a database backup: beside it, `<name>.files.tar.gz`. */
export function filesArchiveFor(databaseBackup: string): string {
  return databaseBackup.replace(/(\.tar\.gz|\.tgz|\.dump)$/i, '') + '.files.tar.gz';
}

const hasEntries = (dir: string) => existsSync(dir) && readdirSync(dir).length > 0;

/** Archives DATA_DIR/files (an absent folder gives an empty archive), under the data folder lock. */
export async function backupFiles(dataDir: string, outFile: string): Promise<{ files: number; bytes: number }> {
  const root = localFilesRoot(dataDir);
  const release = acquireDataDirLock(dataDir);
  try {
    createPrivateFile(outFile);
    return await writeTarGz(root, existsSync(root) ? await listFiles(root) : [], outFile);
  } finally {
    release();
  }
}

/** True when restoring attachments into DATA_DIR would replace some (needs `force`). */
export const hasFiles = (dataDir: string) => hasEntries(localFilesRoot(dataDir));

/**
 * Restores DATA_DIR/files from an archive: extracted beside it first, then moved into place. Existing
 * attachments are kept aside (files.before-restore-…) only with `force`.
 */
export async function restoreFiles(
  file: string,
  dataDir: string,
  opts: { force?: boolean; now?: Date } = {},
): Promise<{ files: number; bytes: number; movedAside: string | null }> {
  const root = localFilesRoot(dataDir);
  const release = acquireDataDirLock(dataDir);
  const staging = `${root}.restoring-${randomBytes(4).toString('hex')}`;
  try {
    if (hasEntries(root) && !opts.force) throw new Error(`数据目录 ${dataDir} 中已有附件（files 文件夹）。确认要用备份替换时加 --force（原附件会改名保留）。`);
    const { files, bytes } = await extractTarGz(file, staging);
    let movedAside: string | null = null;
    if (existsSync(root)) {
      movedAside = hasEntries(root) ? `${root}.before-restore-${(opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}` : null;
      if (movedAside) renameSync(root, movedAside);
      else rmSync(root, { recursive: true, force: true });
    }
    renameSync(staging, root);
    return { files, bytes, movedAside };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    release();
  }
}
