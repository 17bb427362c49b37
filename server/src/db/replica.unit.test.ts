// DATABASE_REPLICA_URL's check and which failures send a replica's statement to the primary (decision 038).
import { describe, expect, it } from 'vitest';
import { ConfigError, parseReplicaUrl } from '../config.js';
import { isReplicaFailure } from './replica.js';

describe('DATABASE_REPLICA_URL', () => {
  it('accepts a PostgreSQL URL naming a host and a database', () => {
    expect(parseReplicaUrl(undefined)).toBeNull();
    expect(parseReplicaUrl('')).toBeNull();
    expect(parseReplicaUrl('postgres://gonghui_ro@10.0.0.12:5433/gonghui')).toBe('postgres://gonghui_ro@10.0.0.12:5433/gonghui');
    expect(parseReplicaUrl('postgresql://u:p@db-replica/gonghui?sslmode=require')).toBe('postgresql://u:p@db-replica/gonghui?sslmode=require');
  });

  it('refuses anything else with a Chinese message that does not repeat the value (it may hold a password)', () => {
    for (const bad of ['10.0.0.12:5433', 'mysql://u@h/db', 'postgres://u:secret@h', 'postgres://', 'not a url']) {
      expect(() => parseReplicaUrl(bad)).toThrow(ConfigError);
      try {
        parseReplicaUrl(bad);
      } catch (err) {
        expect((err as Error).message).toContain('DATABASE_REPLICA_URL 无效');
        expect((err as Error).message).not.toContain('secret');
      }
    }
  });
});

describe('replica failures', () => {
  it('connection-class errors and recovery conflicts go to the primary; errors of the statement itself do not', () => {
    for (const code of ['08006', '08001', '57P01', '57P03', 'ECONNREFUSED', 'ECONNRESET', '40001'])
      expect(isReplicaFailure(Object.assign(new Error('x'), { code }))).toBe(true);
    expect(isReplicaFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isReplicaFailure(new Error('timeout exceeded when trying to connect'))).toBe(true);
    for (const code of ['42P01', '22P02', '25006', '23505']) expect(isReplicaFailure(Object.assign(new Error('x'), { code }))).toBe(false);
    expect(isReplicaFailure(new Error('something else'))).toBe(false);
    expect(isReplicaFailure(null)).toBe(false);
  });
});
