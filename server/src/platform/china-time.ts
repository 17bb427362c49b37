// Dates and times as people in China read them (UTC+8, no daylight saving), whatever the server's zone.
const CST_MS = 8 * 3_600_000;
const cst = (d: Date) => new Date(d.getTime() + CST_MS).toISOString();

/** 2026-11-21 */
export const chinaDay = (d: Date) => cst(d).slice(0, 10);
/** 20261121 (file names) */
export const chinaDate = (d: Date) => chinaDay(d).replace(/-/g, '');
/** 2026-11-21 10:05 (messages) */
export const chinaMinute = (d: Date) => cst(d).slice(0, 16).replace('T', ' ');
/** 2026 */
export const chinaYear = (d: Date) => Number(cst(d).slice(0, 4));
