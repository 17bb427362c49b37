// Keys and the database (docs/decisions/011). The database keeps, per key, a check value
// (HMAC-SM3 of a fixed label under the key — never the key), so a start with keys that did not write
// this data is refused with a message naming them, instead of generating new keys, loading the demo
// again and answering 500 on every decrypt. Fresh database: the check values are written.
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConfigError, SECRET_KEYS, saveGeneratedSecrets, secretEnvName, secretsFile, type Config, type Secrets } from './config.js';
import type { DB } from './db/schema.js';
import { keyChecksRepository } from './db/key-checks.repository.js';
import { recordLegacyHeads } from './modules/audit/audit.service.js';
import { holdsBusinessData } from './seed/business-data.js';

/** The check value of a key: HMAC-SM3 under the key of a label naming it. Reveals nothing about the key. */
export const keyCheckValue = (name: string, hexKey: string) =>
  createHmac('sm3', Buffer.from(hexKey, 'hex')).update(`gonghui key check v1\n${name}`).digest('hex');

/**
 * Keys protecting what is already stored (encrypted fields and their blind indexes): a database that
 * holds data but has no check values yet (written before migration 022) never gets these generated.
 * The token key (5-minute tokens) and the audit key (a new key starts a keyed chain) may be new.
 */
const DATA_KEYS: readonly (keyof Secrets)[] = ['fieldEncryptionKey', 'fieldMacKey', 'blindIndexKey'];

export class KeyMismatchError extends ConfigError {}

export interface KeyComparison {
  /** The database needs these but this start has none (not in the environment, not in secrets.json). */
  missing: (keyof Secrets)[];
  /** Given (environment or secrets.json) but not the keys that wrote this database. */
  mismatched: (keyof Secrets)[];
  /** No check value in the database yet (a fresh database, or one from before migration 022). */
  unchecked: (keyof Secrets)[];
  holdsData: boolean;
}

/** Compares the configured keys with the database's check values; reads only. */
export async function compareKeys(db: Kysely<DB>, config: Config): Promise<KeyComparison> {
  // A database from before migration 022 (an old backup just restored) has no table yet: no checks.
  const checks = (await keyChecksRepository.tableExists(db)) ? await keyChecksRepository.all(db) : [];
  const stored = new Map(checks.map((r) => [r.name, r.check_value]));
  const holdsData = await holdsBusinessData(db);
  const out: KeyComparison = { missing: [], mismatched: [], unchecked: [], holdsData };
  for (const key of SECRET_KEYS) {
    const name = secretEnvName(key);
    const generated = config.secretSources?.[key] === 'generated';
    const check = stored.get(name);
    if (check === undefined) {
      out.unchecked.push(key);
      if (holdsData && generated && DATA_KEYS.includes(key)) out.missing.push(key);
    } else if (generated) out.missing.push(key);
    else if (check !== keyCheckValue(name, config.secrets[key])) out.mismatched.push(key);
  }
  return out;
}

/** The refusal, in Chinese and English, naming each key and where it came from. */
export function keyMismatchMessage(
  config: Config,
  c: Pick<KeyComparison, 'missing' | 'mismatched'>,
  headline = '密钥与数据库中的数据不匹配，已拒绝启动。/ The configured keys do not match the data in this database; refusing to start.',
): string {
  const names = (keys: (keyof Secrets)[]) => keys.map(secretEnvName).join('、');
  const from = (key: keyof Secrets) =>
    config.secretSources?.[key] === 'file' ? `来自 / from ${secretsFile(config.dataDir)}` : '来自环境变量 / from the environment';
  const lines = [headline];
  if (c.missing.length) {
    lines.push(
      `  缺少密钥 / missing keys: ${names(c.missing)}`,
      `  （环境变量中没有，数据目录中的 secrets.json 也没有 / not in the environment, and no secrets.json in the data folder holds them: ${secretsFile(config.dataDir)}）`,
    );
  }
  if (c.mismatched.length) {
    lines.push(`  密钥不匹配 / mismatched keys: ${c.mismatched.map((k) => `${secretEnvName(k)}（${from(k)}）`).join('、')}`);
  }
  lines.push(
    `这份数据是用另外的密钥写入的。请提供与它一起备份的密钥：开发环境把与备份一起保存的 secrets.json 放回数据目录 ${config.dataDir}；生产环境设置写入这份数据时的环境变量。`,
    '为避免已加密的数据无法解密，未生成新密钥，未载入演示数据。',
    `This data was written with other keys. Provide the keys kept with its backup: in development, put the backup's secrets.json back into ${config.dataDir}; in production, set the environment variables the data was written with.`,
    'No new keys were generated and no demo data was loaded, so the encrypted data stays readable with the right keys.',
  );
  return lines.join('\n');
}

/**
 * At start (main, cli/migrate, cli/bootstrap), after migrating: refuses keys that do not match the
 * database's check values (KeyMismatchError); otherwise saves the keys this start generated
 * (development) and records check values for keys that have none. The first time the audit key is
 * recorded, the chains' last unkeyed rows are recorded with it (audit legacy heads). Returns the
 * keys whose check values were recorded now.
 */
export async function checkKeys(db: Kysely<DB>, config: Config, log: (m: string) => void = () => {}): Promise<(keyof Secrets)[]> {
  const c = await compareKeys(db, config);
  if (c.missing.length || c.mismatched.length) throw new KeyMismatchError(keyMismatchMessage(config, c));
  if (c.unchecked.length === 0) return [];
  // Saved before the check values are written: a crash in between leaves keys in secrets.json and no
  // check values (adopted at the next start), never check values for keys nobody kept.
  saveGeneratedSecrets(config, log);
  await db.transaction().execute(async (trx) => {
    await keyChecksRepository.insertMissing(
      trx,
      c.unchecked.map((k) => ({ name: secretEnvName(k), check_value: keyCheckValue(secretEnvName(k), config.secrets[k]) })),
    );
    if (c.unchecked.includes('auditKey')) {
      const chains = await recordLegacyHeads(trx, config.secrets.auditKey);
      if (chains.length) log(`审计日志启用密钥（HMAC-SM3）：已记录启用前各链的最后一条记录（链 ${chains.join('、')}），此前的记录按原 SM3 校验`);
    }
  });
  if (c.holdsData) log(`已为现有数据库记录密钥校验值：${c.unchecked.map(secretEnvName).join('、')}（此后以其他密钥启动将被拒绝）`);
  return c.unchecked;
}
