// Row types for 阵地 (migrations 028, 040). Merged into DB in schema.ts.
import type { ColumnType, JSONColumnType } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id } from './schema-common.js';

export type StationType = 'home' | 'outdoor' | 'driver' | 'carnation' | 'palace' | 'center' | 'rest' | 'other';
export type StationStatus = 'planning' | 'operating' | 'paused' | 'closed';
type DateCol = ColumnType<string, string, string>;
type NullableId = ColumnType<string | null, string | number | bigint | null | undefined, string | number | bigint | null>;
type Coord = ColumnType<string, string | number, string | number>;

/** Opening hours: 24 h, or per weekday (Monday first) a span or closed. */
export interface StationHours {
  allDay: boolean;
  days: ({ open: string; close: string } | null)[];
}
export interface StandardItem {
  code: string;
  name: string;
  maxScore: number;
}
export interface InspectionScore {
  code: string;
  name: string;
  score: number;
  maxScore: number;
}

export interface StationsTable {
  id: GeneratedId;
  org_id: Id;
  type: StationType;
  name: string;
  address: string;
  longitude: Coord;
  latitude: Coord;
  hours: JSONColumnType<StationHours, string, string>;
  facilities: ColumnType<string[], string[] | undefined, string[]>;
  services: ColumnType<string[], string[] | undefined, string[]>;
  contact_name: string | null;
  contact_phone: string | null;
  description: string | null;
  status: ColumnType<StationStatus, StationStatus | undefined, StationStatus>;
  accepted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  stars: ColumnType<number | null, number | null | undefined, number | null>;
  rated_year: ColumnType<number | null, number | null | undefined, number | null>;
  next_inspection_on: ColumnType<string | null, string | null | undefined, string | null>;
  inspection_reminded_on: ColumnType<string | null, string | null | undefined, string | null>;
  version: ColumnType<number, number | undefined, number>;
  created_by: NullableId;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface StationStandardsTable {
  type: StationType;
  required_facilities: string[];
  items: JSONColumnType<StandardItem[], string, string>;
  updated_at: DefaultedTimestamp;
  updated_by: NullableId;
}

export interface StationInspectionsTable {
  id: GeneratedId;
  station_id: Id;
  kind: 'acceptance' | 'rating';
  year: number;
  passed: boolean;
  scores: JSONColumnType<InspectionScore[], string | undefined, string>;
  total: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  stars: number | null;
  missing: ColumnType<string[], string[] | undefined, string[]>;
  inspector: string;
  note: string | null;
  created_by: NullableId;
  created_at: CreatedAt;
}

export interface StationVisitsTable {
  id: GeneratedId;
  station_id: Id;
  source: 'qr' | 'card' | 'staff';
  worker_id: NullableId;
  service: string | null;
  note: string | null;
  day: DateCol;
  hour: number;
  at: ColumnType<Date, Date | string, Date | string>;
  recorded_by: NullableId;
  /** A 维权咨询 service: the consultation it became in modules/rights (migration 040). */
  consultation_id: NullableId;
  /** A card scan: the blind index of the card's person, so a card counts once per site per day (migration 047). */
  card_key: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A photo of a site, or of one of its inspections (migration 040); the bytes are in the FileStore. */
export interface StationPhotosTable {
  id: GeneratedId;
  station_id: Id;
  inspection_id: NullableId;
  file_name: string;
  mime: 'image/jpeg' | 'image/png';
  size: number;
  width: number;
  height: number;
  sha256: string;
  storage_key: string;
  thumb_key: string;
  thumb_size: number;
  caption: string | null;
  uploaded_by: NullableId;
  created_at: CreatedAt;
}

export interface StationsTables {
  stations: StationsTable;
  station_standards: StationStandardsTable;
  station_inspections: StationInspectionsTable;
  station_visits: StationVisitsTable;
  station_photos: StationPhotosTable;
}
