// Row types for aid funds, budgets, disbursements (see migrations). Merged into DB in schema.ts.
import type { Generated } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, Id, GeneratedId, Numeric, Timestamp } from './schema-common.js';

export type AidFundCode = 'living' | 'medical' | 'education' | 'warmth' | 'other';
export type AidMovementKind = 'allocation' | 'adjustment' | 'disbursement' | 'reversal';

export interface AidFundsTable {
  code: AidFundCode;
  name: string;
  sort: Generated<number>;
}

export interface AidBudgetsTable {
  id: GeneratedId;
  org_id: Id;
  year: number;
  fund_code: AidFundCode;
  amount: Numeric;
  spent: Generated<string>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface AidDisbursementsTable {
  id: GeneratedId;
  budget_id: Id;
  org_id: Id;
  year: number;
  fund_code: AidFundCode;
  amount: Numeric;
  status: Generated<'paid' | 'reversed'>;
  person_id: Id;
  application_id: Id | null;
  hardship_file_id: Id | null;
  cause: string | null;
  category: string | null;
  note: string | null;
  paid_at: Timestamp;
  paid_by: string | null;
  reversed_at: Timestamp | null;
  reversal_reason: string | null;
}

export interface AidMovementsTable {
  id: GeneratedId;
  budget_id: Id;
  kind: AidMovementKind;
  amount: Numeric;
  balance_after: Numeric;
  reason: string | null;
  disbursement_id: Id | null;
  actor_id: string | null;
  actor_name: string | null;
  at: Timestamp;
}

export interface AidTables {
  aid_funds: AidFundsTable;
  aid_budgets: AidBudgetsTable;
  aid_disbursements: AidDisbursementsTable;
  aid_movements: AidMovementsTable;
}
