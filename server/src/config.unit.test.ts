import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const SECRET_VARS = ['GONGHUI_FIELD_KEY', 'GONGHUI_FIELD_MAC_KEY', 'GONGHUI_BLIND_INDEX_KEY', 'GONGHUI_TOKEN_KEY'];
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function env(vars: Record<string, string | undefined>) {
  for (const k of [...SECRET_VARS, 'NODE_ENV', 'DATA_DIR', 'PORT', 'DEMO_MODE']) delete process.env[k];
  Object.assign(process.env, vars);
}

describe('configuration', () => {
  it('production without secrets stops with a message naming each missing variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-config-'));
    env({ NODE_ENV: 'production', DATA_DIR: dir });
    expect(() => loadConfig(() => {})).toThrow(ConfigError);
    try {
      loadConfig(() => {});
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
    });
    const c = loadConfig(() => {});
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
    expect(() => loadConfig(() => {})).toThrow(/GONGHUI_FIELD_KEY 格式错误/);
  });

  it('development generates secrets once into the data folder, with a warning, and reuses them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-config-'));
    env({ DATA_DIR: dir, PORT: '4123' });
    const warnings: string[] = [];
    const first = loadConfig((m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('已生成密钥');
    expect(first.port).toBe(4123);
    expect(first.demoMode).toBe(true);
    const second = loadConfig((m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(second.secrets).toEqual(first.secrets);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).fieldEncryptionKey).toBe(first.secrets.fieldEncryptionKey);
    rmSync(dir, { recursive: true });
  });

  it('an invalid PORT is refused', () => {
    env({ PORT: 'abc', DATA_DIR: mkdtempSync(join(tmpdir(), 'gh-config-')) });
    expect(() => loadConfig(() => {})).toThrow(/PORT/);
  });
});
