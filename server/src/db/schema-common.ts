// Column helpers shared by the row-type files.
import type { ColumnType } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint ids travel as strings. */
export type Id = ColumnType<string, string | number | bigint, string | number | bigint>;
export type GeneratedId = ColumnType<string, string | number | bigint | undefined, never>;
/** numeric (money in yuan, 2 decimals) travels as a string: never a float. */
export type Numeric = ColumnType<string, string | number, string | number>;
