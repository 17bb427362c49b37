// 阵地: the site types, facilities, statuses and the built-in standards (the city may edit the standards).
import type { StandardItem, StationHours, StationStatus, StationType } from '../../db/schema-stations.js';

export const STATION_TYPES: { code: StationType; name: string; color: string }[] = [
  { code: 'home', name: '职工之家', color: '#c8161d' },
  { code: 'outdoor', name: '工会驿站（户外劳动者服务站）', color: '#f29b1d' },
  { code: 'driver', name: '司机之家', color: '#2f80ed' },
  { code: 'carnation', name: '康乃馨服务站', color: '#d6478f' },
  { code: 'palace', name: '工人文化宫', color: '#8e5bd8' },
  { code: 'center', name: '职工服务中心', color: '#19a974' },
  { code: 'rest', name: '疗休养基地', color: '#0f9d9a' },
  { code: 'other', name: '其他', color: '#6b7280' },
];
export const STATION_TYPE_CODES = STATION_TYPES.map((t) => t.code) as [StationType, ...StationType[]];
export const typeName = (code: string) => STATION_TYPES.find((t) => t.code === code)?.name ?? code;

export const FACILITIES: { code: string; name: string }[] = [
  { code: 'water', name: '饮水' },
  { code: 'microwave', name: '热饭' },
  { code: 'charging', name: '充电' },
  { code: 'toilet', name: '卫生间' },
  { code: 'seats', name: '休息座椅' },
  { code: 'medkit', name: '药箱' },
  { code: 'nursing', name: '母婴室' },
  { code: 'legal', name: '维权咨询' },
  { code: 'wifi', name: 'Wi-Fi' },
  { code: 'truck_parking', name: '货车停车' },
  { code: 'shower', name: '淋浴' },
  { code: 'laundry', name: '洗衣' },
  { code: 'library', name: '阅览' },
];
export const FACILITY_CODES = FACILITIES.map((f) => f.code) as [string, ...string[]];
export const facilityName = (code: string) => FACILITIES.find((f) => f.code === code)?.name ?? code;

/** Services staff can log at a site (a visit with a service). */
export const SERVICES: { code: string; name: string }[] = [
  { code: 'water', name: '饮水' },
  { code: 'meal', name: '热饭' },
  { code: 'charging', name: '充电' },
  { code: 'rest', name: '休息' },
  { code: 'medical', name: '应急药品' },
  { code: 'consult', name: '维权咨询' },
  { code: 'other', name: '其他服务' },
];
export const SERVICE_CODES = SERVICES.map((s) => s.code) as [string, ...string[]];
export const serviceName = (code: string | null) => (code ? (SERVICES.find((s) => s.code === code)?.name ?? code) : null);

export const STATUSES: Record<StationStatus, string> = { planning: '筹建', operating: '运营', paused: '暂停', closed: '撤销' };
export const STATUS_CODES = Object.keys(STATUSES) as [StationStatus, ...StationStatus[]];

const ITEMS: StandardItem[] = [
  { code: 'place', name: '场所标识与面积', maxScore: 20 },
  { code: 'facility', name: '设施配备', maxScore: 30 },
  { code: 'service', name: '服务开展与台账', maxScore: 30 },
  { code: 'management', name: '管理制度与人员', maxScore: 20 },
];

/** Built-in standards per type: what 验收 requires and what 星级 scores (a city edit overrides them). */
export const DEFAULT_STANDARDS: Record<StationType, { requiredFacilities: string[]; items: StandardItem[] }> = {
  home: { requiredFacilities: ['water', 'seats', 'legal', 'library'], items: ITEMS },
  outdoor: { requiredFacilities: ['water', 'microwave', 'charging', 'toilet', 'seats', 'medkit'], items: ITEMS },
  driver: { requiredFacilities: ['water', 'microwave', 'charging', 'toilet', 'seats', 'truck_parking'], items: ITEMS },
  carnation: { requiredFacilities: ['water', 'seats', 'nursing'], items: ITEMS },
  palace: { requiredFacilities: ['water', 'toilet', 'seats', 'library'], items: ITEMS },
  center: { requiredFacilities: ['water', 'seats', 'legal'], items: ITEMS },
  rest: { requiredFacilities: ['water', 'toilet', 'medkit'], items: ITEMS },
  other: { requiredFacilities: ['water'], items: ITEMS },
};

/** Stars from the score in percent of the maximum. */
export function starsFor(total: number, max: number): number {
  const pct = max > 0 ? (total / max) * 100 : 0;
  if (pct >= 90) return 5;
  if (pct >= 80) return 4;
  if (pct >= 70) return 3;
  if (pct >= 60) return 2;
  return 1;
}

/** Open at this China-time weekday (1 = Monday … 7 = Sunday) and minute "HH:MM"? */
export function openAt(hours: StationHours, weekday: number, hhmm: string): boolean {
  if (hours.allDay) return true;
  const span = hours.days[weekday - 1];
  if (!span) return false;
  if (span.close > span.open) return hhmm >= span.open && hhmm < span.close;
  return hhmm >= span.open || hhmm < span.close; // past midnight
}

/** Great-circle distance in metres (haversine), WGS-84 degrees. */
export function distanceMetres(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const r = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * r * Math.asin(Math.sqrt(a)));
}
