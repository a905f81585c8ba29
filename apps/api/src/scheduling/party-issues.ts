import type { FieldIssue } from '../common/errors';

/**
 * What is wrong with the people and sites a booking or a search names: unknown or disabled people,
 * unknown sites and, for a session, people its cases may not be opened to (see
 * AccessPolicy.invitable: only the two facilities of each case and those with a support link to
 * either, never an admin). `userField` is the request's name for the people.
 */
export function partyIssues(p: {
  userField: 'participantIds' | 'userIds';
  userIds: string[];
  people: Array<{ id: string; active: boolean }>;
  facilityIds: string[];
  sites: Array<{ id: string }>;
  invitable?: string[];
}): FieldIssue[] {
  const unknownPeople = p.userIds.filter((id) => !p.people.some((u) => u.id === id && u.active));
  const unknownSites = p.facilityIds.filter((id) => !p.sites.some((f) => f.id === id));
  const notInvitable = p.invitable
    ? p.userIds.filter((id) => !unknownPeople.includes(id) && !p.invitable!.includes(id))
    : [];
  const issues: FieldIssue[] = [];
  if (unknownPeople.length)
    issues.push({
      path: p.userField,
      message: `Some ${p.userField === 'userIds' ? 'users' : 'participants'} do not exist (or are disabled)`,
      ids: unknownPeople,
    });
  if (notInvitable.length)
    issues.push({
      path: p.userField,
      message:
        'Some participants may not be invited to this case: only users of the requesting or the target facility, or of a facility with a support link to either, and never an administrator',
      ids: notInvitable,
    });
  if (unknownSites.length)
    issues.push({ path: 'facilityIds', message: 'Some sites do not exist', ids: unknownSites });
  return issues;
}

/** `participantIds, facilityIds: …` — the fields first, as every 400 of the API. */
export function partySummary(issues: FieldIssue[]): string {
  const fields = [...new Set(issues.map((i) => i.path))].join(', ');
  return `${fields}: ${issues.map((i) => i.message).join('; ')}`;
}
