// What the join flow, the status page and the card share: API types, the 就业形态 options and
// the client-side GB 11643 check of a resident ID (the server checks it again).

export interface JoinApplication {
  id: string;
  status: 'pending' | 'awaiting_release' | 'approved' | 'rejected' | 'withdrawn';
  statusLabel: string;
  targetOrgName: string;
  submittedAt: string;
  reviewedAt: string | null;
  rejectReason: string | null;
  memberNo: string | null;
}

export interface UnionOption {
  id: string;
  name: string;
  typeLabel: string;
  pathNames: string[];
}

/** The union of a per-org join QR code (`#/join?org=<id>`). */
export interface PublicUnion extends UnionOption {
  active: boolean;
  /** Grassroots-level unions take members; a 县/镇 union's code leads to a union under it. */
  acceptsMembers: boolean;
}

export interface PublicCampaign {
  name: string;
  org: { id: string; name: string; acceptsMembers: boolean };
  employmentForms: string[];
  startsOn: string;
  endsOn: string;
  open: boolean;
}

export interface Consent {
  version: string;
  title: string;
  text: string;
}

export const EMPLOYMENT_FORMS: { value: string; label: string; gig: boolean }[] = [
  { value: 'standard', label: '标准劳动关系（与单位签订劳动合同）', gig: false },
  { value: 'truck_driver', label: '货车司机', gig: true },
  { value: 'ride_hailing', label: '网约车司机', gig: true },
  { value: 'courier', label: '快递员', gig: true },
  { value: 'food_delivery', label: '外卖配送员', gig: true },
  { value: 'other_gig', label: '其他新就业形态', gig: true },
];

export const EDUCATION = ['小学及以下', '初中', '高中/中专/技校', '大专', '本科', '硕士研究生', '博士研究生'];
export const POLITICAL_STATUS = ['中共党员', '中共预备党员', '共青团员', '民主党派', '群众'];

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export interface ResidentId {
  number: string;
  birthDate: string;
  sex: 'M' | 'F';
}

/** GB 11643: 18 characters, a valid birth date, the check character. Returns the parsed number or a message. */
export function checkResidentId(raw: string, today = new Date()): ResidentId | string {
  const number = raw
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s/g, '')
    .toUpperCase();
  if (!/^[0-9]{17}[0-9X]$/.test(number)) return '身份证号应为 18 位（最后一位可为 X）';
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(number[i]), 0);
  if (CHECK[sum % 11] !== number[17]) return '身份证号校验位不正确，请核对';
  const y = Number(number.slice(6, 10));
  const m = Number(number.slice(10, 12));
  const d = Number(number.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date > today) return '身份证号中的出生日期无效';
  if (!/^[1-9][0-9]{5}$/.test(number.slice(0, 6))) return '身份证号中的地区码无效';
  return { number, birthDate: `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`, sex: Number(number[16]) % 2 === 1 ? 'M' : 'F' };
}

/** A v4 UUID; crypto.randomUUID where the page is a secure context, getRandomValues elsewhere (plain-HTTP intranets). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
