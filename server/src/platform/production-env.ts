// The process settings production runs with (README "Production means PostgreSQL", docs/deploy.md's
// environment file): the benches start their server children with them, so what they measure is the
// server as it runs; production-env.unit.test.ts keeps the two documents saying the same.
export const PRODUCTION_PROCESS_ENV = {
  /** glibc: two malloc arenas instead of one per thread (decision 029). */
  MALLOC_ARENA_MAX: '2',
  /** glibc: buffers of 128 KB and more always their own mappings, returned when freed (decision 040). */
  MALLOC_MMAP_THRESHOLD_: '131072',
  /** V8: the old generation collected before it passes 256 MB instead of growing towards 4 GB (decision 042). */
  NODE_OPTIONS: '--max-old-space-size=256',
} as const;
