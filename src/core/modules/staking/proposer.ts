/**
 * Proposer selection: CometBFT's weighted round robin with proposer priorities
 * (cometbft/types/validator_set.go), as pure functions on values.
 *
 * Every validator of the active set carries a priority (an integer). For each height:
 *   1. RescalePriorities(2 × totalPower): when max − min priority exceeds 2 × totalPower,
 *      divide every priority by ceil(diff / (2 × totalPower)) (Go's `/`: truncation toward 0).
 *   2. shiftByAvgProposerPriority: subtract the average priority from every priority; the
 *      average is `big.Int.Div`, i.e. Euclidean division, which for the positive count n is
 *      the floor of sum / n.
 *   3. incrementProposerPriority: every priority += its power; the proposer is the validator
 *      with the largest priority (a tie goes to the smaller address); its priority −= totalPower.
 * When the set changes (an epoch boundary), updateWithChangeSet: validators that stay keep their
 * priority (with their new power), removed ones go, and each new one starts at
 *   −(P + P >> 3) = −1.125 × P, P = the total power after the updates, before the removals,
 * so a newcomer cannot propose at once (and cannot game its entry by unbonding and rebonding);
 * then rescale (2 × new total) and centre as in steps 1–2.
 *
 * Bulwark differs in one place: priorities are bigint, so CometBFT's clipping to int64
 * (`safeAddClip`) never triggers and is not implemented.
 */

export interface PrioritizedValidator {
  /** Consensus address (lower-case hex): comparing strings compares the address bytes. */
  readonly address: string;
  readonly power: bigint;
  readonly priority: bigint;
}

/** The validator sum of powers. */
export function totalPower(vals: readonly PrioritizedValidator[]): bigint {
  let t = 0n;
  for (const v of vals) t += v.power;
  return t;
}

/** `a` wins against `b`: higher priority, then the smaller address (CompareProposerPriority). */
function beats(a: PrioritizedValidator, b: PrioritizedValidator): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.address < b.address;
}

/** Step 1: RescalePriorities. Priorities are divided by ceil(diff / diffMax) when diff > diffMax. */
export function rescalePriorities(
  vals: readonly PrioritizedValidator[],
  diffMax: bigint,
): PrioritizedValidator[] {
  if (diffMax <= 0n || vals.length === 0) return [...vals];
  let lo = vals[0]!.priority;
  let hi = lo;
  for (const v of vals) {
    if (v.priority < lo) lo = v.priority;
    if (v.priority > hi) hi = v.priority;
  }
  const diff = hi - lo;
  if (diff <= diffMax) return [...vals];
  // ratio := (diff + diffMax - 1) / diffMax  (both positive: the ceiling)
  const ratio = (diff + diffMax - 1n) / diffMax;
  // val.ProposerPriority /= ratio  (Go integer division truncates toward zero, as bigint `/`)
  return vals.map((v) => ({ ...v, priority: v.priority / ratio }));
}

/** Floor of a / b for b > 0 (Go's big.Int.Div, Euclidean division). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Step 2: shiftByAvgProposerPriority (centring). */
export function centerPriorities(vals: readonly PrioritizedValidator[]): PrioritizedValidator[] {
  if (vals.length === 0) return [];
  let sum = 0n;
  for (const v of vals) sum += v.priority;
  const avg = floorDiv(sum, BigInt(vals.length));
  return vals.map((v) => ({ ...v, priority: v.priority - avg }));
}

/** The validator that would propose after an increment, without changing anything. */
function mostPriority(vals: readonly PrioritizedValidator[]): PrioritizedValidator | undefined {
  let best: PrioritizedValidator | undefined;
  for (const v of vals) if (best === undefined || beats(v, best)) best = v;
  return best;
}

/**
 * One height: IncrementProposerPriority(1) = rescale, centre, then every priority += power,
 * the highest becomes the proposer and pays totalPower. Returns the new priorities and the
 * proposer's address (undefined for an empty set).
 */
export function nextProposer(vals: readonly PrioritizedValidator[]): {
  vals: PrioritizedValidator[];
  proposer: string | undefined;
} {
  if (vals.length === 0) return { vals: [], proposer: undefined };
  const total = totalPower(vals);
  const centred = centerPriorities(rescalePriorities(vals, 2n * total));
  const incremented = centred.map((v) => ({ ...v, priority: v.priority + v.power }));
  const proposer = mostPriority(incremented)!;
  return {
    vals: incremented.map((v) =>
      v.address === proposer.address ? { ...v, priority: v.priority - total } : v,
    ),
    proposer: proposer.address,
  };
}

/** The proposer sequence for `n` heights from `vals` (for tests and tools). */
export function proposerSequence(
  vals: readonly PrioritizedValidator[],
  n: number,
): { proposers: string[]; vals: PrioritizedValidator[] } {
  let cur: PrioritizedValidator[] = [...vals];
  const proposers: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = nextProposer(cur);
    cur = r.vals;
    if (r.proposer !== undefined) proposers.push(r.proposer);
  }
  return { proposers, vals: cur };
}

/**
 * updateWithChangeSet: the set becomes `next` (address → power); validators that stay keep
 * their priority, newcomers start at −(P + P >> 3) with P the total power after updates and
 * before removals; then rescale by 2 × the new total and centre. The result is sorted by address.
 */
export function updateValidatorSet(
  prev: readonly PrioritizedValidator[],
  next: readonly { address: string; power: bigint }[],
): PrioritizedValidator[] {
  const old = new Map(prev.map((v) => [v.address, v]));
  const nextAddresses = new Set(next.map((v) => v.address));
  // tvpAfterUpdatesBeforeRemovals: the new powers of everyone in `next`, plus the old power of
  // everyone removed.
  let tvp = 0n;
  for (const v of next) tvp += v.power;
  for (const v of prev) if (!nextAddresses.has(v.address)) tvp += v.power;
  const penalty = -(tvp + (tvp >> 3n));
  const merged: PrioritizedValidator[] = next
    .map((v) => ({
      address: v.address,
      power: v.power,
      priority: old.get(v.address)?.priority ?? penalty,
    }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return centerPriorities(rescalePriorities(merged, 2n * totalPower(merged)));
}
