/**
 * The stake-weighted median and the quorum rule: pure functions on values.
 *
 * Rule (docs/modules/oracle.md): sort the reports by price ascending, ties broken by validator
 * address ascending; the median is the first price whose cumulative power is at least half of
 * the reporting power (2·cum ≥ R). A price is published only when the reporting power is at
 * least 2/3 of the bonded power (3·R ≥ 2·B) and B > 0.
 */

export interface WeightedReport {
  /** Consensus address (hex), the tie-breaker. */
  validator: string;
  power: bigint;
  price: bigint;
}

const byPriceThenValidator = (a: WeightedReport, b: WeightedReport): number =>
  a.price !== b.price
    ? a.price < b.price
      ? -1
      : 1
    : a.validator < b.validator
      ? -1
      : a.validator > b.validator
        ? 1
        : 0;

/**
 * The stake-weighted median of the reports (undefined when there is none or all have zero
 * power). Does not mutate its argument.
 */
export function weightedMedian(reports: readonly WeightedReport[]): bigint | undefined {
  let total = 0n;
  for (const r of reports) total += r.power;
  if (total <= 0n) return undefined;
  const sorted = [...reports].sort(byPriceThenValidator);
  let cum = 0n;
  for (const r of sorted) {
    cum += r.power;
    if (2n * cum >= total) return r.price;
  }
  return undefined; // unreachable: cum reaches total
}

/** Whether `reportingPower` is a quorum of `bondedPower`: R ≥ 2/3·B, B > 0. */
export function hasQuorum(reportingPower: bigint, bondedPower: bigint): boolean {
  return bondedPower > 0n && 3n * reportingPower >= 2n * bondedPower;
}

export interface MarketAggregate {
  /** The weighted median of the reports (also when there is no quorum); undefined for none. */
  median: bigint | undefined;
  reportingPower: bigint;
  reporters: number;
  quorum: boolean;
}

/** The aggregate of one market's reports against the bonded power. */
export function aggregateMarket(
  reports: readonly WeightedReport[],
  bondedPower: bigint,
): MarketAggregate {
  let reportingPower = 0n;
  for (const r of reports) reportingPower += r.power;
  return {
    median: weightedMedian(reports),
    reportingPower,
    reporters: reports.length,
    quorum: hasQuorum(reportingPower, bondedPower),
  };
}
