// The README's production commands and docs/deploy.md's environment file set what the benches measure with.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_PROCESS_ENV } from './production-env.js';

describe('the production process settings', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const deploy = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf8');
  for (const [name, value] of Object.entries(PRODUCTION_PROCESS_ENV)) {
    it(`${name}=${value} in the README and in docs/deploy.md`, () => {
      expect(readme).toContain(`export ${name}=${value}`);
      expect(deploy).toMatch(new RegExp(`^${name}=${value.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}$`, 'm'));
    });
  }
});
