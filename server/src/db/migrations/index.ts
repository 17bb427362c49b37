import type { Migration } from 'kysely';
import * as m001 from './001_foundation.js';

// Forward-only: append new migrations here; never edit one that has shipped.
export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
};
