// What an applicant typed, as the application keeps it: the same stored form as a person on the
// roll (members.people personRecord: ID and phones encrypted, blind indexes, masked copies), but
// in the application's own columns — submitting never writes to people (decision 009).
import type { ApplicantExtra, JoinApplication } from '../../db/schema.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { personRecord } from '../members/members.people.js';
import type { PersonInput } from '../members/members.schema.js';

export function applicantColumns(c: FieldCrypto, p: PersonInput) {
  const r = personRecord(c, p, null);
  const extra: ApplicantExtra = {
    ethnicity: r.ethnicity,
    education: r.education,
    politicalStatus: r.political_status,
    hukouType: r.hukou_type,
    hukouRegion: r.hukou_region,
    emergencyContactName: r.emergency_contact_name,
    emergencyContactPhoneEnc: r.emergency_contact_phone_enc,
    emergencyContactPhoneMasked: r.emergency_contact_phone_masked,
  };
  return {
    applicant_name: r.name,
    applicant_id_type: r.id_type,
    applicant_id_enc: r.id_enc,
    applicant_id_bidx: r.id_bidx,
    applicant_id_masked: r.id_masked,
    applicant_sex: r.sex,
    applicant_birth_date: r.birth_date,
    applicant_phone_enc: r.phone_enc,
    applicant_phone_bidx: r.phone_bidx,
    applicant_phone_masked: r.phone_masked,
    applicant_extra: JSON.stringify(extra),
  };
}

type Applicant = Pick<
  JoinApplication,
  'applicant_name' | 'applicant_id_type' | 'applicant_id_enc' | 'applicant_sex' | 'applicant_birth_date' | 'applicant_phone_enc' | 'applicant_extra'
>;

/** The typed person back, to create them on the roll when a reviewer approves a new ID. */
export function applicantPerson(c: FieldCrypto, a: Applicant): PersonInput {
  const x = a.applicant_extra ?? {};
  const opt = <T>(v: T | null | undefined) => (v === null || v === undefined ? undefined : v);
  return {
    idType: a.applicant_id_type,
    idNumber: c.decrypt(a.applicant_id_enc),
    name: a.applicant_name,
    sex: a.applicant_sex,
    birthDate: a.applicant_birth_date,
    phone: a.applicant_phone_enc ? c.decrypt(a.applicant_phone_enc) : '',
    ethnicity: opt(x.ethnicity),
    education: opt(x.education) as PersonInput['education'],
    politicalStatus: opt(x.politicalStatus) as PersonInput['politicalStatus'],
    hukouType: opt(x.hukouType),
    hukouRegion: opt(x.hukouRegion),
    emergencyContactName: opt(x.emergencyContactName),
    emergencyContactPhone: x.emergencyContactPhoneEnc ? c.decrypt(x.emergencyContactPhoneEnc) : undefined,
  };
}

/** The applicant as the reviewer sees them: masked, never the full ID or phone. */
export function presentApplicant(a: Applicant & Pick<JoinApplication, 'applicant_id_masked' | 'applicant_phone_masked'>) {
  const x = a.applicant_extra ?? {};
  return {
    name: a.applicant_name,
    idType: a.applicant_id_type,
    idMasked: a.applicant_id_masked,
    phoneMasked: a.applicant_phone_masked,
    sex: a.applicant_sex,
    birthDate: a.applicant_birth_date,
    ethnicity: x.ethnicity ?? null,
    education: x.education ?? null,
    politicalStatus: x.politicalStatus ?? null,
    hukouType: x.hukouType ?? null,
    hukouRegion: x.hukouRegion ?? null,
    emergencyContactName: x.emergencyContactName ?? null,
    emergencyContactPhoneMasked: x.emergencyContactPhoneMasked ?? null,
  };
}
