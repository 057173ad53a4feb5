import type { Db } from '../store/client';
import { loadPeople, savePersonFromSlack, type SlackPerson, type StoredPerson } from '../store/people';

/** Asks Slack about a person (users.info, users.profile.get); null when Slack cannot say just now. */
export interface PeopleLookup {
  lookup(userId: string): Promise<SlackPerson | null>;
}

/** What is known of a person is asked again after this long (user_change keeps it current between). */
export const PERSON_KEPT_MS = 6 * 60 * 60_000;
/** At most this many people are asked about in one sweep: the rest wait for the next minute. */
const LOOKUPS_PER_SWEEP = 20;

/**
 * The people a sweep sends to, as stored, after asking Slack about those never asked or asked too
 * long ago. A failed question is logged and what was known stays (the plan's zone when nothing).
 */
export async function peopleForSweep(db: Db, lookup: PeopleLookup | undefined, userIds: readonly string[], now: Date, log: (line: string) => void): Promise<Map<string, StoredPerson>> {
  const people = await loadPeople(db, userIds);
  if (!lookup) return people;
  const stale = [...people.values()].filter((person) => !person.checkedAt || now.getTime() - person.checkedAt.getTime() >= PERSON_KEPT_MS).slice(0, LOOKUPS_PER_SWEEP);
  if (stale.length === 0) return people;
  let asked = 0;
  for (const person of stale) {
    try {
      const answer = await lookup.lookup(person.userId);
      if (!answer) continue;
      await savePersonFromSlack(db, person.userId, answer, now);
      asked++;
    } catch (error) {
      log(`could not ask Slack about ${person.userId} (${(error as Error).message}): using what is known`);
    }
  }
  return asked ? loadPeople(db, userIds) : people;
}
