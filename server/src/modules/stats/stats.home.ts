// Which indicators a home page shows (issue 15, item 2): a 领导's key figures, and per department
// (the permission that makes it that department's work) its module's figures. Codes of stats.catalogue.ts.
import type { Permission } from '../../platform/permissions.js';

/** A 领导's key figures (no work permissions: read-only across the subtree). */
export const LEADER_CODES = [
  'members.live',
  'members.joined',
  'members.joined_gig',
  'members.gig_share',
  'join.received',
  'applications.received',
  'aid.paid',
  'rights.consultations',
  'stations.operating',
  'enterprises.founding_rate',
];

/** A department's figures: the permission that makes it that department's work → its indicators. */
export const WORK_CODES: readonly { permission: Permission; codes: string[] }[] = [
  { permission: 'join:review', codes: ['members.joined', 'members.joined_gig', 'join.received'] },
  { permission: 'application:handle', codes: ['applications.received', 'applications.finished'] },
  { permission: 'hardship:write', codes: ['hardship.open', 'aid.paid'] },
  { permission: 'rights:write', codes: ['rights.consultations', 'rights.mediation_success_rate'] },
  { permission: 'station:manage', codes: ['stations.operating', 'stations.visits'] },
  { permission: 'enterprise:write', codes: ['enterprises.founding_rate'] },
  { permission: 'activity:manage', codes: ['activities.participants'] },
];

