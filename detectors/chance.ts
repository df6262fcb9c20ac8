/**
 * Thresholds relative to the population a rule watches.
 *
 * A per-subject rule ("one resident looked up by many operators in a day")
 * with a fixed threshold fires more often the more residents are looked up:
 * among 100,000 residents looked up on one day, a few reach four or five
 * operators by coincidence. These helpers turn a day's own traffic into the
 * count at which coincidence stops being a plausible explanation.
 *
 * Model: each resident looked up on the day has one first looker and
 * X − 1 ≥ 0 further distinct lookers (operators, or organisations). With
 * D residents looked up and P distinct (resident, looker) pairs, the mean
 * number of further lookers is μ = (P − D) / D. The number of residents
 * reaching k lookers by chance is at most about D·μ^(k−1): the geometric
 * bound, which lies above the Poisson tail D·μ^(k−1)/(k−1)! and above the
 * observed, heavier-than-Poisson tail of real counter traffic (a case handled
 * by two or three clerks together). The threshold is the smallest k, never
 * below the rule's configured floor, at which that bound falls to the
 * expected chance alerts per day the deployment accepts.
 */

/** Mean number of further distinct lookers per looked-up subject: (pairs − subjects) / subjects. */
export function extraRate(subjects: number, pairs: number): number {
  if (!(subjects > 0)) return 0;
  return Math.max(0, pairs - subjects) / subjects;
}

/** Expected number of subjects reaching `k` lookers by chance (geometric bound D·μ^(k−1)). */
export function chanceCount(subjects: number, rate: number, k: number): number {
  if (k <= 1) return subjects;
  return subjects * Math.pow(rate, k - 1);
}

/** Largest threshold considered; a rate this high (μ ≥ ~0.5) means the grouping itself is wrong, not the day. */
const MAX_STEPS = 20;

/**
 * The smallest k ≥ floor at which no more than `perDay` subjects are expected
 * to reach k lookers by chance, given `subjects` looked up with `rate` further
 * lookers each on average.
 */
export function chanceThreshold(subjects: number, rate: number, perDay: number, floor: number): number {
  let k = Math.max(2, Math.ceil(floor));
  for (let step = 0; step < MAX_STEPS && chanceCount(subjects, rate, k) > perDay; step++) k++;
  return k;
}

/**
 * Residents looked up on one day and their distinct (resident, operator) and (resident, organisation)
 * pairs, counted on all residents or on a random sample of them (`prefix`).
 */
export interface Population {
  /** Residents looked up on the day. */
  subjects: number;
  /** The sample the pair counts come from: residents whose pseudonymous reference starts with `prefix` ("" = all). */
  prefix: string;
  sampleSubjects: number;
  operatorPairs: number;
  organizationPairs: number;
}

/**
 * The thresholds for one resident, from the day's population without that resident (leave one out):
 * on a quiet day the resident under judgement would otherwise be most of the evidence against itself.
 */
export function thresholdsFor(
  pop: Population,
  c: { subject: string; operators: number; organizations: number },
  p: { chancePerDay: number; minOperators: number; minOrganizations: number },
) {
  const inSample = c.subject.startsWith(pop.prefix);
  const subjects = pop.sampleSubjects - (inSample ? 1 : 0);
  const operatorRate = extraRate(subjects, pop.operatorPairs - (inSample ? c.operators : 0));
  const organizationRate = extraRate(subjects, pop.organizationPairs - (inSample ? c.organizations : 0));
  const others = Math.max(1, pop.subjects - 1);
  return {
    operatorRate,
    organizationRate,
    operators: chanceThreshold(others, operatorRate, p.chancePerDay, p.minOperators),
    organizations: chanceThreshold(others, organizationRate, p.chancePerDay, p.minOrganizations),
  };
}
