/**
 * A unique-constraint violation (SQLSTATE 23505), optionally of one named constraint. PostgreSQL
 * names it in `constraint`; PGlite only in the message.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  return e?.code === '23505' && (!constraint || e.constraint === constraint || (e.message ?? '').includes(constraint));
}
