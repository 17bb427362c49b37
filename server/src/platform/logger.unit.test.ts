// The console of `npm start` reads as lines for people; production keeps JSON lines for the collector.
import { describe, expect, it } from 'vitest';
import { logFormatFrom, textLine } from './logger.js';

describe('log format', () => {
  it('JSON in production, text elsewhere; LOG_FORMAT overrides; anything else refused', () => {
    expect(logFormatFrom(undefined, 'production')).toBe('json');
    expect(logFormatFrom(undefined, 'development')).toBe('text');
    expect(logFormatFrom('json', 'development')).toBe('json');
    expect(logFormatFrom('text', 'production')).toBe('text');
    expect(() => logFormatFrom('pretty', 'development')).toThrow('LOG_FORMAT 无效');
  });

  it('a log line becomes time, a Chinese level word and the message, without the JSON fields', () => {
    const t = new Date(2026, 11, 7, 9, 5, 3).getTime();
    const line = JSON.stringify({ level: 30, time: t, pid: 1, hostname: 'h', auditAnchor: [{ chain: 0 }], msg: '审计链锚点：2 条链' });
    expect(textLine(line)).toBe('09:05:03 信息 审计链锚点：2 条链\n');
    expect(textLine(JSON.stringify({ level: 30, time: t, reqId: 'abcdef12-3456', m: 'GET', r: '/api/home', s: 200, ms: 12, msg: 'req' }))).toBe(
      '09:05:03 信息 GET /api/home 200 12ms [abcdef12]\n',
    );
    expect(textLine(JSON.stringify({ level: 50, time: t, err: { stack: 'Error: x\n    at y' }, msg: '失败' }))).toBe(
      '09:05:03 错误 失败\nError: x\n    at y\n',
    );
    expect(textLine('智慧工会服务平台 gonghui 已启动')).toBe('智慧工会服务平台 gonghui 已启动\n');
  });
});
