import type { Migration } from 'kysely';
import * as m001 from './001_foundation.js';
import * as m002 from './002_members.js';
import * as m003 from './003_partners.js';
import * as m004 from './004_imports.js';
import * as m005 from './005_matching.js';
import * as m006 from './006_members_perf.js';
import * as m007 from './007_messages.js';
import * as m008 from './008_services.js';
import * as m009 from './009_aid.js';
import * as m010 from './010_hardship.js';
import * as m011 from './011_activities.js';
import * as m012 from './012_activity_types.js';
import * as m013 from './013_audit_chains.js';
import * as m014 from './014_hardship_reminders.js';
import * as m015 from './015_audit_deferred.js';
import * as m016 from './016_waitlist_counts.js';
import * as m018 from './018_enrollment_promoted_at.js';
import * as m019 from './019_holidays.js';
import * as m020 from './020_join_identity.js';
import * as m021 from './021_duties_and_password_history.js';
import * as m022 from './022_keys_and_keyed_audit.js';
import * as m023 from './023_upload_quota.js';
import * as m024 from './024_roll_search.js';
import * as m025 from './025_worker_profile.js';
import * as m027 from './027_batch_rules_and_shares.js';
import * as m028 from './028_stations.js';
import * as m030 from './030_rights.js';
import * as m032 from './032_enterprises_and_contracts.js';
import * as m034 from './034_staff_set_phones.js';
import * as m035 from './035_indicator_snapshots.js';
import * as m045 from './045_indicator_subtree_totals.js';
import * as m046 from './046_notice_withdrawal.js';
import * as m047 from './047_card_visit_once.js';
import * as m038 from './038_targets.js';
import * as m039 from './039_annual_highlights.js';
import * as m037 from './037_notices_and_news.js';
import * as m040 from './040_station_photos.js';
import * as m036 from './036_rights_checkups_risks.js';
import * as m043 from './043_funds.js';
import * as m044 from './044_audit_committee.js';
import * as m049 from './049_funds_dues_and_papers.js';
import * as m050 from './050_job_queue_and_shared_limits.js';
import * as m051 from './051_activity_batches_version_the_activity.js';
import * as m041 from './041_models_register.js';
import * as m042 from './042_models_board_reform.js';
import * as m048 from './048_models_points_competitions.js';
import * as m052 from './052_model_flag_follows_the_person.js';
import * as m053 from './053_job_files_stored_uncompressed.js';
import * as m055 from './055_imported_phones_are_typed.js';
import * as m056 from './056_enrollments_follow_the_person.js';
import * as m057 from './057_claim_failures_index.js';
import * as m054 from './054_four_eyes_actors.js';

// Forward-only: append new migrations here; never edit one that has shipped.
export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_members': m002,
  '003_partners': m003,
  '004_imports': m004,
  '005_matching': m005,
  '006_members_perf': m006,
  '007_messages': m007,
  '008_services': m008,
  '009_aid': m009,
  '010_hardship': m010,
  '011_activities': m011,
  '012_activity_types': m012,
  '013_audit_chains': m013,
  '014_hardship_reminders': m014,
  '015_audit_deferred': m015,
  '016_waitlist_counts': m016,
  // 017 is taken by a migration landing in parallel.
  '018_enrollment_promoted_at': m018,
  '019_holidays': m019,
  '020_join_identity': m020,
  '021_duties_and_password_history': m021,
  '022_keys_and_keyed_audit': m022,
  '023_upload_quota': m023,
  '024_roll_search': m024,
  '025_worker_profile': m025,
  '027_batch_rules_and_shares': m027,
  '028_stations': m028,
  '030_rights': m030,
  '032_enterprises_and_contracts': m032,
  '034_staff_set_phones': m034,
  '035_indicator_snapshots': m035,
  '038_targets': m038,
  '039_annual_highlights': m039,
  '037_notices_and_news': m037,
  '040_station_photos': m040,
  '036_rights_checkups_risks': m036,
  '045_indicator_subtree_totals': m045,
  '046_notice_withdrawal': m046,
  '047_card_visit_once': m047,
  '043_funds': m043,
  '044_audit_committee': m044,
  '049_funds_dues_and_papers': m049,
  '050_job_queue_and_shared_limits': m050,
  '051_activity_batches_version_the_activity': m051,
  '041_models_register': m041,
  '042_models_board_reform': m042,
  '048_models_points_competitions': m048,
  '052_model_flag_follows_the_person': m052,
  '053_job_files_stored_uncompressed': m053,
  '055_imported_phones_are_typed': m055,
  '056_enrollments_follow_the_person': m056,
  '057_claim_failures_index': m057,
  '054_four_eyes_actors': m054,
};
