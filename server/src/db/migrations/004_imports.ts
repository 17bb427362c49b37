import type { Kysely } from 'kysely';

// Scaffolding: filled in by its feature (issue 3) before it ships.
export async function up(db: Kysely<unknown>): Promise<void> {
  void db;
}
