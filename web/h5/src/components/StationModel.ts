// 附近驿站: what the server answers, labels and colours shared by the list, map and detail.
export interface StationItem {
  id: string;
  type: string;
  typeName: string;
  name: string;
  address: string;
  longitude: number;
  latitude: number;
  hoursText: string[];
  openNow: boolean;
  facilities: { code: string; name: string }[];
  stars: number | null;
  status: string;
  statusName: string;
  contactPhone: string | null;
  orgName: string;
  distance?: number;
  description?: string | null;
  contactName?: string | null;
  /** 驿站详情 only: the site's own photos (thumbnails are small PNGs, loaded lazily). */
  photos?: { id: string; caption: string | null; name: string; width: number; height: number; url: string; thumbUrl: string }[];
}

export const TYPE_COLORS: Record<string, string> = {
  home: '#c8161d',
  outdoor: '#d97706',
  driver: '#2f80ed',
  carnation: '#d6478f',
  palace: '#8e5bd8',
  center: '#19a974',
  rest: '#0f9d9a',
  other: '#6b7280',
};

export const TYPE_OPTIONS = [
  { value: '', label: '全部' },
  { value: 'outdoor', label: '工会驿站' },
  { value: 'driver', label: '司机之家' },
  { value: 'home', label: '职工之家' },
  { value: 'carnation', label: '康乃馨' },
  { value: 'center', label: '服务中心' },
  { value: 'palace', label: '文化宫' },
  { value: 'rest', label: '疗休养' },
];

export const FACILITY_OPTIONS = [
  { value: '', label: '全部设施' },
  { value: 'water', label: '饮水' },
  { value: 'microwave', label: '热饭' },
  { value: 'charging', label: '充电' },
  { value: 'toilet', label: '卫生间' },
  { value: 'seats', label: '休息座椅' },
  { value: 'medkit', label: '药箱' },
  { value: 'nursing', label: '母婴室' },
  { value: 'legal', label: '维权咨询' },
  { value: 'wifi', label: 'Wi-Fi' },
  { value: 'truck_parking', label: '货车停车' },
];

export const distanceText = (m?: number) => (m === undefined ? '' : m < 1000 ? `${m} 米` : `${(m / 1000).toFixed(1)} 公里`);

/** Opens the phone's map app (高德 URI API, coordinates stated as WGS-84; web map when no app). */
export const navigateUrl = (s: { longitude: number; latitude: number; name: string }) =>
  `https://uri.amap.com/marker?position=${s.longitude},${s.latitude}&name=${encodeURIComponent(s.name)}&coordinate=wgs84&callnative=1`;
/** The standard geo: URI (Android map apps). */
export const geoUri = (s: { longitude: number; latitude: number; name: string }) =>
  `geo:${s.latitude},${s.longitude}?q=${s.latitude},${s.longitude}(${encodeURIComponent(s.name)})`;

let tileUrl: Promise<string | null> | null = null;
/** The tile server when one is configured on the server (MAP_TILE_URL), else the offline base map alone. */
export function mapTileUrl(): Promise<string | null> {
  tileUrl ??= fetch('/api/stations/map-config')
    .then((r) => (r.ok ? (r.json() as Promise<{ tileUrl: string | null }>) : { tileUrl: null }))
    .then((c) => c.tileUrl)
    .catch(() => null);
  return tileUrl;
}
