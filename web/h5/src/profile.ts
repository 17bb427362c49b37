// 个人信息 (issue 11): what the profile pages share — API types and calls.
import { api } from '../../shared/api';

export interface Profile {
  phoneMasked: string;
  person: { name: string; idMasked: string; phoneMasked: string | null; memberNo: string | null; address: string | null } | null;
  membership: {
    orgName: string;
    joinedOn: string;
    status: string;
    statusLabel: string;
    employerName: string | null;
    employmentFormLabel: string | null;
  } | null;
}

export interface ChangeRequest {
  id: string;
  changes: Record<string, { from: string | null; to: string | null }>;
  status: 'pending' | 'approved' | 'refused' | 'withdrawn';
  statusLabel: string;
  orgName: string;
  reviewNote: string | null;
  createdAt: string;
  reviewedAt: string | null;
}

export const CHANGE_LABELS: Record<string, string> = { employerName: '工作单位', address: '住址' };

export const fetchProfile = () => api<Profile>('GET', '/worker/profile');
export const fetchChanges = async () => (await api<{ items: ChangeRequest[] }>('GET', '/worker/profile/changes')).items;
