import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseMetricsToken, saveGeneratedSecrets } from './config.js';

const SECRET_VARS = ['GONGHUI_FIELD_KEY', 'GONGHUI_FIELD_MAC_KEY', 'GONGHUI_BLIND_INDEX_KEY', 'GONGHUI_TOKEN_KEY', 'GONGHUI_AUDIT_KEY'];
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function env(vars: Record<string, string | undefined>) {
  for (const k of [...SECRET_VARS, 'NODE_ENV', 'DATA_DIR', 'PORT', 'DEMO_MODE', 'HOST']) delete process.env[k];
  Object.assign(process.env, vars);
}

describe('configuration', () => {
  it('production without secrets stops with a message naming each missing variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-config-'));
    env({ NODE_ENV: 'production', DATA_DIR: dir });
    expect(() => loadConfig()).toThrow(ConfigError);
    try {
      loadConfig();
    } catch (err) {
      for (const v of SECRET_VARS) expect((err as Error).message).toContain(v);
    }
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    rmSync(dir, { recursive: true });
  });

  it('production with well-formed secrets starts, without demo mode', () => {
    env({
      NODE_ENV: 'production',
      GONGHUI_FIELD_KEY: 'ab'.repeat(16),
      GONGHUI_FIELD_MAC_KEY: 'cd'.repeat(32),
      GONGHUI_BLIND_INDEX_KEY: 'ef'.repeat(32),
      GONGHUI_TOKEN_KEY: '01'.repeat(32),
      GONGHUI_AUDIT_KEY: '23'.repeat(32),
    });
    const c = loadConfig();
    expect(c.env).toBe('production');
    expect(c.demoMode).toBe(false);
    expect(c.secrets.fieldEncryptionKey).toBe('ab'.repeat(16));
  });

  it('a malformed secret is refused', () => {
    env({
      NODE_ENV: 'production',
      GONGHUI_FIELD_KEY: 'short',
      GONGHUI_FIELD_MAC_KEY: 'cd'.repeat(32),
      GONGHUI_BLIND_INDEX_KEY: 'ef'.repeat(32),
      GONGHUI_TOKEN_KEY: '01'.repeat(32),
    });
    expect(() => loadConfig()).toThrow(/GONGHUI_FIELD_KEY 格式错误/);
  });

  it('development generates missing secrets in memory, saves them (0600, with a warning) only when asked, then reuses them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-config-'));
    env({ DATA_DIR: dir, PORT: '4123' });
    const first = loadConfig();
    expect(first.port).toBe(4123);
    expect(first.demoMode).toBe(true);
    expect(Object.values(first.secretSources!)).toEqual(SECRET_VARS.map(() => 'generated'));
    // Nothing is written by loading: a database that already holds data must not get new keys
    // silently (key-check.ts saves them once the database accepted them).
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    expect(loadConfig().secrets).not.toEqual(first.secrets);

    const warnings: string[] = [];
    expect(saveGeneratedSecrets(first, (m) => warnings.push(m))).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('已生成密钥');
    expect(warnings[0]).toContain('GONGHUI_AUDIT_KEY');
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const second = loadConfig();
    expect(second.secrets).toEqual(first.secrets);
    expect(Object.values(second.secretSources!)).toEqual(SECRET_VARS.map(() => 'file'));
    expect(saveGeneratedSecrets(second, (m) => warnings.push(m))).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).fieldEncryptionKey).toBe(first.secrets.fieldEncryptionKey);
    rmSync(dir, { recursive: true });
  });

  it('development: a key in the environment wins over secrets.json; a secrets.json without the audit key gets it added', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-config-'));
    const old = { fieldEncryptionKey: 'ab'.repeat(16), fieldMacKey: 'cd'.repeat(32), blindIndexKey: 'ef'.repeat(32), tokenSigningKey: '01'.repeat(32) };
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(old));
    env({ DATA_DIR: dir, GONGHUI_TOKEN_KEY: '02'.repeat(32) });
    const c = loadConfig();
    expect(c.secretSources).toEqual({ fieldEncryptionKey: 'file', fieldMacKey: 'file', blindIndexKey: 'file', tokenSigningKey: 'env', auditKey: 'generated' });
    expect(c.secrets.tokenSigningKey).toBe('02'.repeat(32));
    saveGeneratedSecrets(c, () => {});
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual({ ...old, auditKey: c.secrets.auditKey });
    rmSync(dir, { recursive: true });
  });

  it('an invalid PORT is refused', () => {
    env({ PORT: 'abc', DATA_DIR: mkdtempSync(join(tmpdir(), 'gh-config-')) });
    expect(() => loadConfig()).toThrow(/PORT/);
  });
  it('demo mode listens on this machine only unless HOST is set; production on every interface', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-config-'));
    env({ DATA_DIR: dir });
    expect(loadConfig()).toMatchObject({ demoMode: true, host: '127.0.0.1' });
    env({ DATA_DIR: dir, HOST: '0.0.0.0' });
    expect(loadConfig().host).toBe('0.0.0.0');
    env({ DATA_DIR: dir, DEMO_MODE: 'false' });
    expect(loadConfig()).toMatchObject({ demoMode: false, host: '0.0.0.0' });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('METRICS_TOKEN (decision 035)', () => {
  it('is unset by default, and refused when short or holding spaces', () => {
    expect(parseMetricsToken(undefined)).toBeNull();
    expect(parseMetricsToken('')).toBeNull();
    expect(parseMetricsToken('a'.repeat(48))).toBe('a'.repeat(48));
    expect(() => parseMetricsToken('short-token')).toThrow(ConfigError);
    expect(() => parseMetricsToken(`${'a'.repeat(20)} ${'b'.repeat(20)}`)).toThrow(/METRICS_TOKEN/);
  });
});
