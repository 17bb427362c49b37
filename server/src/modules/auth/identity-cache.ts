// Who is asking, remembered for at most a second (issue 10 item 2, decision 036). A console page
// sends several requests at once and a list re-queries as the user types: each would look the same
// session, account and roles up again. An entry lives ≤ IDENTITY_TTL_MS by the real clock AND by the
// app's clock (a test's manual clock that jumps past an idle limit sees no stale entry), never past
// the session's own expiry, and every write that changes who someone is — a session ended, an
// account or its roles changed, a role's permissions, an org moved, a worker's phone — bumps the
// generation, so this process forgets at once. Another process's change takes effect within the TTL.
// Only successful look-ups are kept: an unknown token costs its query every time.

export const IDENTITY_TTL_MS = 1000;
const MAX_ENTRIES = 10_000;

let generation = 0;

/** Call from any write that ends a session or changes an account, its roles, a role, an org's place or a worker's phone. */
export function identityChanged(): void {
  generation++;
}

interface Entry<T> {
  value: T;
  gen: number;
  /** performance.now() and the app clock's ms at the look-up. */
  real: number;
  app: number;
  expiresAt: number;
}

export function createIdentityCache<T>(now: () => Date) {
  const entries = new Map<string, Entry<T>>();
  return {
    get(key: string): T | undefined {
      const e = entries.get(key);
      if (!e) return undefined;
      const app = now().getTime();
      if (e.gen !== generation || performance.now() - e.real >= IDENTITY_TTL_MS || app - e.app >= IDENTITY_TTL_MS || app < e.app || app >= e.expiresAt) {
        entries.delete(key);
        return undefined;
      }
      return e.value;
    },
    /** Looks the key up, or loads it (null: not kept). The generation is read before the load: a change during it wins. */
    async through(key: string, load: () => Promise<{ value: T; expiresAt: Date } | null>): Promise<T | null> {
      const hit = this.get(key);
      if (hit !== undefined) return hit;
      const gen = generation;
      const real = performance.now();
      const app = now().getTime();
      const loaded = await load();
      if (!loaded) return null;
      // Oldest first out (a Map keeps insertion order): a flood of sessions cannot grow it without bound.
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(key, { value: loaded.value, gen, real, app, expiresAt: loaded.expiresAt.getTime() });
      return loaded.value;
    },
    delete(key: string): void {
      entries.delete(key);
    },
  };
}
