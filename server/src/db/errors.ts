/**
 * A unique-constraint violation (SQLSTATE 23505), optionally of one named constraint. PostgreSQL
 * names it in `constraint`; PGlite only in the message.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  return e?.code === '23505' && (!constraint || e.constraint === constraint || (e.message ?? '').includes(constraint));
}

/**
 * A data exception (SQLSTATE class 22: a number out of its column's range, an impossible date, text
 * that is not a valid value of its type). Such a value came from the request when a schema let it
 * through, so the app answers 400 rather than 500 (app.ts).
 */
export function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
