import type { Migration } from 'kysely';
import * as m001 from './001_foundation.js';
import * as m002 from './002_members.js';
import * as m003 from './003_partners.js';
import * as m004 from './004_imports.js';
import * as m005 from './005_matching.js';
import * as m006 from './006_members_perf.js';

// Forward-only: append new migrations here; never edit one that has shipped.
export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_members': m002,
  '003_partners': m003,
  '004_imports': m004,
  '005_matching': m005,
  '006_members_perf': m006,
};
