// The server's clock as seen from this phone: countdowns and "is the window open" are computed
// from server time plus the measured offset, never from the phone's own clock (which may be
// minutes off). The offset is taken from a response's `serverTime`, corrected by half the
// round trip.

let offsetMs = 0;
let known = false;

/** Server time minus phone time, in milliseconds (0 until a response has been seen). */
export function serverOffset(): number {
  return offsetMs;
}

export function serverOffsetKnown(): boolean {
  return known;
}

/** Records the server's time from a response that was requested at `sentAt` (Date.now()) and has just arrived. */
export function noteServerTime(serverTime: string | undefined | null, sentAt: number): void {
  if (!serverTime) return;
  const server = new Date(serverTime).getTime();
  if (Number.isNaN(server)) return;
  const arrived = Date.now();
  const rtt = arrived - sentAt;
  const next = server + rtt / 2 - arrived;
  // Keep the measurement taken over the fastest round trip when both are close; prefer fresh ones otherwise.
  offsetMs = !known || rtt < 1500 ? next : offsetMs;
  known = true;
}

/** Now, on the server's clock. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** 2026-11-21 10:00 (phone's time zone; the phones are in China). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}`;
}

/** 11月21日 10:00 */
export function formatShort(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getMonth() + 1}月${d.getDate()}日 ${p2(d.getHours())}:${p2(d.getMinutes())}`;
}

/** 2026-11-21 → 11月21日 */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? `${Number(m[2])}月${Number(m[3])}日` : day;
}

/** Integer fen or a decimal string ("1200.00") → "¥1,200.00". */
export function formatYuan(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const s = typeof v === 'number' ? (v / 100).toFixed(2) : v;
  const [i, f = '00'] = s.split('.');
  return `¥${(i ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f.padEnd(2, '0').slice(0, 2)}`;
}
