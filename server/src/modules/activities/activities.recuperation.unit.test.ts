import { describe, expect, it } from 'vitest';
import type { EnrollContext } from './activities.plugins.js';
import { priorityGroupsOf, recuperationPlugin } from './activities.recuperation.js';

const ctx = (o: {
  mode?: 'fcfs' | 'approval';
  model?: boolean;
  form?: string;
  details?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}): EnrollContext => ({
  activity: {
    id: '1',
    orgId: '1',
    orgPath: '/1/',
    type: 'recuperation',
    title: '疗休养',
    enrollmentMode: o.mode ?? 'fcfs',
    startsOn: '2027-01-01',
    endsOn: null,
    settings: o.settings ?? {},
  },
  batch: { id: '1', activityId: '1', title: '一批', startsOn: null, endsOn: null, placesGeneral: 1, placesPriority: 1, placesFamily: 2, familyPerPerson: 2 },
  member: {
    personId: '1',
    membershipId: '1',
    orgId: '1',
    orgPath: '/1/',
    employmentForm: o.form ?? 'standard',
    isModelWorker: o.model ?? false,
    isMigrantWorker: false,
  },
  personId: '1',
  membershipId: '1',
  details: o.details ?? {},
  now: new Date('2026-11-21T02:00:00Z'),
});

describe('疗休养 priority groups and family places', () => {
  it('劳模 and 新就业形态 come from the roll; declared 一线职工 counts only in approval mode', () => {
    expect(priorityGroupsOf(ctx({ model: true }))).toEqual(['model_worker']);
    expect(priorityGroupsOf(ctx({ form: 'food_delivery' }))).toEqual(['new_forms']);
    expect(priorityGroupsOf(ctx({ details: { frontline: true } }))).toEqual([]);
    expect(priorityGroupsOf(ctx({ mode: 'approval', details: { frontline: true } }))).toEqual(['frontline']);
  });

  it('takes the priority pool only for the activity’s groups; family members count as family places', () => {
    expect(recuperationPlugin.placePool!(ctx({ model: true }))).toBe('priority');
    expect(recuperationPlugin.placePool!(ctx({ model: true, settings: { priorityGroups: ['new_forms'] } }))).toBe('general');
    expect(recuperationPlugin.placePool!(ctx({}))).toBe('general');
    expect(
      recuperationPlugin.familyPlaces!(
        ctx({
          details: {
            family: [
              { name: '甲', relation: 'spouse' },
              { name: '乙', relation: 'child' },
            ],
          },
        }),
      ),
    ).toBe(2);
    expect(recuperationPlugin.familyPlaces!(ctx({}))).toBe(0);
  });
});
