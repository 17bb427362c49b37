// Configuration comes from the environment. In development the secrets are generated once
// into the data folder (with a warning); in production a missing secret stops the start.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Secrets {
  /** SM4 key (16 bytes, hex) for sensitive fields. */
  fieldEncryptionKey: string;
  /** HMAC-SM3 key (hex) authenticating the encrypted fields. */
  fieldMacKey: string;
  /** HMAC-SM3 key (hex) for blind indexes (exact lookup of encrypted values). */
  blindIndexKey: string;
  /** HMAC key (hex) for signed tokens (e-card, QR). */
  tokenSigningKey: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  demoMode: boolean;
  secrets: Secrets;
  logLevel: string;
  /** Behind a reverse proxy the client IP comes from X-Forwarded-For. */
  trustProxy: boolean;
}

const SECRET_ENV: Record<keyof Secrets, string> = {
  fieldEncryptionKey: 'GONGHUI_FIELD_KEY',
  fieldMacKey: 'GONGHUI_FIELD_MAC_KEY',
  blindIndexKey: 'GONGHUI_BLIND_INDEX_KEY',
  tokenSigningKey: 'GONGHUI_TOKEN_KEY',
};

const SECRET_BYTES: Record<keyof Secrets, number> = {
  fieldEncryptionKey: 16,
  fieldMacKey: 32,
  blindIndexKey: 32,
  tokenSigningKey: 32,
};

export class ConfigError extends Error {}

function loadSecrets(env: Config['env'], dataDir: string, warn: (msg: string) => void): Secrets {
  const fromEnv: Partial<Secrets> = {};
  const missing: string[] = [];
  for (const [key, name] of Object.entries(SECRET_ENV) as [keyof Secrets, string][]) {
    const value = process.env[name];
    if (value) {
      if (!/^[0-9a-f]+$/i.test(value) || value.length !== SECRET_BYTES[key] * 2) {
        throw new ConfigError(`环境变量 ${name} 格式错误：应为 ${SECRET_BYTES[key] * 2} 位十六进制字符串`);
      }
      fromEnv[key] = value.toLowerCase();
    } else missing.push(name);
  }
  if (missing.length === 0) return fromEnv as Secrets;
  if (env === 'production') {
    throw new ConfigError(`生产环境缺少密钥配置：${missing.join('、')}。请用 \`openssl rand -hex 32\`（SM4 密钥用 -hex 16）生成后通过环境变量提供。`);
  }
  const file = resolve(dataDir, 'secrets.json');
  let stored: Partial<Secrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
  let generated = false;
  for (const key of Object.keys(SECRET_ENV) as (keyof Secrets)[]) {
    if (!fromEnv[key] && !stored[key]) {
      stored[key] = randomBytes(SECRET_BYTES[key]).toString('hex');
      generated = true;
    }
  }
  if (generated) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    warn(`⚠ 开发模式：已生成密钥并保存在 ${file}。生产环境请通过环境变量提供密钥（${missing.join('、')}）。`);
  }
  return { ...(stored as Secrets), ...fromEnv };
}

export function loadConfig(warn: (msg: string) => void = (m) => console.warn(m)): Config {
  const rawEnv = process.env.NODE_ENV;
  const env: Config['env'] = rawEnv === 'production' ? 'production' : rawEnv === 'test' ? 'test' : 'development';
  const dataDir = resolve(process.env.DATA_DIR ?? './data');
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT 无效：${process.env.PORT}`);
  const demoMode = process.env.DEMO_MODE ? process.env.DEMO_MODE === 'true' : env !== 'production';
  return {
    env,
    port,
    host: process.env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: process.env.DATABASE_URL || null,
    demoMode,
    secrets: loadSecrets(env, dataDir, warn),
    logLevel: process.env.LOG_LEVEL ?? (env === 'test' ? 'warn' : 'info'),
    trustProxy: process.env.TRUST_PROXY === 'true',
  };
}
