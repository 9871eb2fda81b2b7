import { describe, expect, it } from 'vitest';
import type { Event } from '../../app/types.ts';
import { mulDiv, ONE, Rounding } from '../../math/index.ts';
import { testAccount } from '../../testing/harness.ts';
import type { Observations } from './api.ts';
import { decodeEntry, encodeEntry, type OracleEntry } from './entry.ts';
import { encodeExtension } from './extension.ts';
import { relativeDistance } from './keeper.ts';
import { CHAIN_ID, type ChainValidator, OracleChain, px } from './testing.ts';

const HONEST = { 'BTC-USD': px('60000'), 'ETH-USD': px('3000'), 'BWK-USD': px('1.5') };

/** Honest observations with a small per-validator spread (±0.05 %). */
function honest(v: ChainValidator): Observations {
  const skew = BigInt((v.name.charCodeAt(v.name.length - 1) % 3) - 1); // −1, 0, +1
  const out: Record<string, bigint> = {};
  for (const [m, p] of Object.entries(HONEST)) out[m] = p + (p * skew) / 2_000n;
  return out;
}

/** +20 % on every market. */
const inflated = (): Observations =>
  Object.fromEntries(Object.entries(HONEST).map(([m, p]) => [m, (p * 12n) / 10n]));

const named = (prefix: string, n: number, power: bigint) =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, power }));

const of = (events: Event[], type: string) => events.filter((e) => e.type === type);

/** The published price of a market, checked to be within `band` of the honest price. */
function expectNear(chain: OracleChain, market: keyof typeof HONEST, band: bigint) {
  const p = chain.oracle.price(chain.store, market);
  expect(p).toBeDefined();
  expect(relativeDistance(p!.price, HONEST[market])).toBeLessThanOrEqual(band);
}

describe('oracle: manipulation by a minority', () => {
  for (const [label, honestSet, attackers] of [
    ['30 %', named('h', 7, 10n), named('a', 3, 10n)],
    ['49 %', named('h', 3, 17n), named('a', 7, 7n)],
  ] as const) {
    it(`${label} of the power reporting +20 %: the price stays honest; they are slashed and jailed`, () => {
      const chain = new OracleChain({
        validators: [...honestSet, ...attackers],
        epochLength: 20,
        params: { oracleWindow: 20, maxMissesPerWindow: 5 },
      });
      const isAttacker = (v: ChainValidator) => v.name.startsWith('a');
      const observe = (v: ChainValidator) => (isAttacker(v) ? inflated() : honest(v));
      const before = new Map(attackers.map((a) => [a.name, chain.tokens(a.name)]));
      const minBand = chain.oracle.params(chain.store).minBand;
      const events: Event[] = [];
      for (let i = 0; i < 8; i++) {
        events.push(...chain.block(observe).events);
        if (chain.height >= 2) {
          for (const m of Object.keys(HONEST) as (keyof typeof HONEST)[]) {
            expectNear(chain, m, minBand);
          }
        }
      }
      // The entry of block 2 carries height 1's reports: misses from block 2; the 6th (more
      // than maxMissesPerWindow = 5) at block 7 slashes and jails.
      for (const a of attackers) {
        expect(chain.isJailed(a.name)).toBe(true);
        expect(chain.tokens(a.name)).toBeLessThan(before.get(a.name)!);
      }
      for (const h of honestSet) expect(chain.isJailed(h.name)).toBe(false);
      const slashes = of(events, 'slash').filter((e) => e.attributes.reason === 'oracle');
      expect(slashes.map((e) => e.attributes.validator).sort()).toEqual(
        attackers.map((a) => chain.validator(a.name).consAddress).sort(),
      );
      expect(
        of(events, 'oracle_miss').every((e) =>
          attackers.some((a) => chain.validator(a.name).consAddress === e.attributes.validator),
        ),
      ).toBe(true);
      // Honest validators have no misses.
      for (const h of honestSet) {
        const q = chain.app.query('oracle/misses', {
          validator: chain.validator(h.name).consAddress,
        });
        expect((q.value as { totalMisses: number }).totalMisses).toBe(0);
      }
      // Jailed reports no longer count. With 30 % jailed the rest (70 %) is still a quorum; with
      // 49 % jailed, 51 % is not: prices go stale until the next epoch drops them from the set.
      const after = chain.run(3, observe);
      if (label === '30 %') {
        expect(of(after, 'oracle_price')).toHaveLength(9);
      } else {
        expect(of(after, 'oracle_stale')).toHaveLength(9);
        while (chain.height < 21) chain.block(observe);
        const resumed = chain.block(observe).events;
        expect(of(resumed, 'oracle_price')).toHaveLength(3);
        expectNear(chain, 'BTC-USD', minBand);
      }
    });
  }

  it('51 % can move the median: the breaker only slows the move (the security threshold)', () => {
    const chain = new OracleChain({ validators: [...named('h', 7, 7n), ...named('a', 3, 17n)] });
    const observe = (v: ChainValidator) => (v.name.startsWith('a') ? inflated() : honest(v));
    const events = chain.run(6, observe);
    const state = chain.oracle.marketState(chain.store, 'BTC-USD')!;
    expect(state.median).toBe(inflated()['BTC-USD']);
    // With no earlier price, the first published price is the median itself: the attackers'.
    expect(state.price).toBe(inflated()['BTC-USD']);
    expect(of(events, 'circuit_breaker')).toHaveLength(0);

    // With an honest price first, the same attack is clamped block by block.
    const c2 = new OracleChain({ validators: [...named('h', 7, 7n), ...named('a', 3, 17n)] });
    c2.run(3, honest);
    const ev2 = c2.run(6, observe);
    const trips = of(ev2, 'circuit_breaker').filter((e) => e.attributes.market === 'BTC-USD');
    expect(trips.length).toBeGreaterThan(0);
    expect(trips[0]!.attributes.bound).toBe('block');
    const s2 = c2.oracle.marketState(c2.store, 'BTC-USD')!;
    expect(s2.breakerTrips).toBe(trips.length);
    expect(s2.price).toBeGreaterThan(mulDiv(HONEST['BTC-USD'], px('1.1'), ONE, Rounding.Floor));
    expect(s2.price).toBeLessThanOrEqual(inflated()['BTC-USD']!);
    // Now the honest minority is outside the band around the (moved) median: they miss.
    expect(of(ev2, 'oracle_miss').some((e) => e.attributes.reason === 'deviation')).toBe(true);
  });
});

describe('oracle: quorum and staleness', () => {
  it('below 2/3 reporting: stale, then reduce-only after maxStaleBlocks', () => {
    const chain = new OracleChain({
      validators: named('v', 4, 25n),
      params: { maxStaleBlocks: 4 },
    });
    chain.run(3, honest);
    const published = chain.oracle.price(chain.store, 'ETH-USD')!;
    expect(published.height).toBe(3);
    expect(chain.oracle.isReduceOnly(chain.store, 'ETH-USD', chain.height)).toBe(false);
    // Only half of the power reports from now on.
    const half = (v: ChainValidator) =>
      v.name === 'v0' || v.name === 'v1' ? honest(v) : undefined;
    chain.block(half); // block 4: still carries height 3's full reports
    const events = chain.run(4, half); // blocks 5..8
    expect(of(events, 'oracle_price')).toHaveLength(0);
    expect(of(events, 'oracle_stale')).toHaveLength(12);
    expect(chain.oracle.price(chain.store, 'ETH-USD')!.height).toBe(4);
    // Height 8: 4 blocks old, not beyond maxStaleBlocks = 4.
    expect(chain.oracle.isReduceOnly(chain.store, 'ETH-USD', chain.height)).toBe(false);
    const more = chain.block(half).events;
    expect(chain.oracle.isReduceOnly(chain.store, 'ETH-USD', chain.height)).toBe(true);
    const stale = of(more, 'oracle_stale').find((e) => e.attributes.market === 'ETH-USD')!;
    expect(stale.attributes).toMatchObject({
      reporters: '2',
      power: '50',
      bonded: '100',
      reduceOnly: 'true',
    });
    const q = chain.app.query('oracle/price', { market: 'ETH-USD' });
    expect(q.value).toMatchObject({ stale: true, reduceOnly: true, height: 4 });
    // The silent validators were counted absent.
    const misses = chain.app.query('oracle/misses', {
      validator: chain.validator('v3').operator.address,
    });
    expect((misses.value as { totalMisses: number }).totalMisses).toBe(5);
  });

  it('exactly 2/3 of the power is a quorum', () => {
    const chain = new OracleChain({ validators: named('v', 3, 10n) });
    const twoThirds = (v: ChainValidator) => (v.name === 'v2' ? undefined : honest(v));
    const events = chain.run(3, twoThirds);
    expect(of(events, 'oracle_price').length).toBe(6);
    expect(of(events, 'oracle_stale')).toHaveLength(0);
  });

  it('a market without a price yet is reduce-only; a market a validator leaves out is a miss', () => {
    const chain = new OracleChain({ validators: named('v', 3, 10n) });
    expect(chain.oracle.isReduceOnly(chain.store, 'BTC-USD', 1)).toBe(true);
    const noEth = (v: ChainValidator) => {
      const o = { ...honest(v) };
      if (v.name === 'v0') delete o['ETH-USD'];
      return o;
    };
    const events = chain.run(3, noEth);
    const misses = of(events, 'oracle_miss');
    expect(misses.length).toBe(2);
    expect(misses[0]!.attributes).toMatchObject({ reason: 'missing', markets: 'ETH-USD' });
  });
});

describe('oracle: checkProposal refuses dishonest proposals', () => {
  function setup() {
    const chain = new OracleChain({ validators: named('v', 4, 10n) });
    chain.run(3, honest);
    const bytes = chain.prepareEntry()!;
    const entry = decodeEntry(bytes) as OracleEntry;
    return { chain, bytes, entry };
  }
  const refuse = (chain: OracleChain, e: OracleEntry) => chain.checkProposal([encodeEntry(e)]);

  it('accepts the honest entry, and applying it publishes its aggregate', () => {
    const { chain, bytes, entry } = setup();
    expect(entry.height).toBe(3);
    expect(entry.votes.map((v) => v.validator)).toEqual(
      chain.validators.map((v) => v.consAddress).sort(),
    );
    expect(chain.checkProposal([bytes])).toBeUndefined();
    chain.block(honest, bytes);
    expect(chain.oracle.price(chain.store, 'BTC-USD')!.price).toBe(entry.prices['BTC-USD']);
  });

  it('a forged extension (bad signature, or content changed after signing)', () => {
    const { chain, entry } = setup();
    const votes = entry.votes.map((v) => ({ ...v }));
    votes[1] = { ...votes[1]!, extensionSignature: new Uint8Array(64).fill(7) };
    expect(refuse(chain, { ...entry, votes })).toMatch(/vote 1: bad extension signature/);
    const changed = encodeExtension(3, [{ market: 'BTC-USD', price: px('99999') }]);
    const votes2 = entry.votes.map((v, i) => (i === 2 ? { ...v, extension: changed } : v));
    expect(refuse(chain, { ...entry, votes: votes2 })).toMatch(/vote 2: bad extension signature/);
    // prepareEntry drops the forged one; the rest still make the entry.
    const forged = chain.extensions.map((x, i) =>
      i === 0 ? { ...x, extensionSignature: new Uint8Array(64) } : x,
    );
    const prepared = decodeEntry(chain.prepareEntry(forged)!) as OracleEntry;
    expect(prepared.votes).toHaveLength(3);
    expect(chain.checkProposal([encodeEntry(prepared)])).toBeUndefined();
  });

  it('a duplicated extension (faking quorum) and a reordered entry', () => {
    const { chain, entry } = setup();
    const dup = [entry.votes[0]!, entry.votes[0]!, ...entry.votes.slice(1)];
    expect(refuse(chain, { ...entry, votes: dup })).toMatch(/vote 1: duplicate vote/);
    const reordered = [entry.votes[1]!, entry.votes[0]!, ...entry.votes.slice(2)];
    expect(refuse(chain, { ...entry, votes: reordered })).toMatch(/not sorted/);
    // Two of four validators, each twice: prepareEntry counts each once (no quorum).
    const twoTwice = [
      chain.extensions[0]!,
      chain.extensions[0]!,
      chain.extensions[1]!,
      chain.extensions[1]!,
    ];
    const prepared = decodeEntry(chain.prepareEntry(twoTwice)!) as OracleEntry;
    expect(prepared.votes).toHaveLength(2);
    expect(prepared.prices).toEqual({});
  });

  it('a wrong power, and total power taken from the proposer instead of state', () => {
    const { chain, entry } = setup();
    const votes = entry.votes.map((v, i) => (i === 0 ? { ...v, power: v.power * 10n } : v));
    expect(refuse(chain, { ...entry, votes })).toMatch(/vote 0: power of .* is 100, state has 10/);
    // Two honest validators claiming quorum with inflated powers: refused on power first, and
    // with state powers their 50 % is no quorum.
    const two = entry.votes.slice(0, 2);
    const inflatedPowers = two.map((v) => ({ ...v, power: 40n }));
    expect(refuse(chain, { ...entry, votes: inflatedPowers })).toMatch(/power/);
    expect(refuse(chain, { ...entry, votes: two })).toMatch(/aggregate does not match/);
    expect(refuse(chain, { ...entry, votes: two, prices: {} })).toBeUndefined();
  });

  it('a proposer that lies about the aggregate', () => {
    const { chain, entry } = setup();
    const lie = { ...entry.prices, 'BTC-USD': entry.prices['BTC-USD']! + 1n };
    expect(refuse(chain, { ...entry, prices: lie })).toMatch(/aggregate does not match/);
    const { 'ETH-USD': _, ...dropped } = entry.prices;
    expect(refuse(chain, { ...entry, prices: dropped })).toMatch(/aggregate does not match/);
    expect(refuse(chain, { ...entry, prices: { ...entry.prices, 'XRP-USD': ONE } })).toMatch(
      /aggregate does not match/,
    );
  });

  it('a report from a non-validator, for another height, with a bad price or market', () => {
    const { chain, entry } = setup();
    const outsider: ChainValidator = {
      name: 'outsider',
      operator: testAccount('outsider'),
      consAddress: 'ff'.repeat(20),
      consSeed: testAccount('cons/outsider').seed,
      power: 10n,
    };
    const ext = encodeExtension(3, [{ market: 'BTC-USD', price: px('60000') }]);
    const withOutsider = [...entry.votes, chain.signExtension(outsider, 3, ext)];
    expect(refuse(chain, { ...entry, votes: withOutsider })).toMatch(/not in the active set/);
    expect(
      chain.prepareEntry([...chain.extensions, chain.signExtension(outsider, 3, ext)]),
    ).toEqual(chain.prepareEntry());
    const v0 = chain.validators.find((v) => v.consAddress === entry.votes[0]!.validator)!;
    const bad = (extension: Uint8Array, height = 3) => {
      const votes = [chain.signExtension(v0, height, extension), ...entry.votes.slice(1)];
      return refuse(chain, { ...entry, votes });
    };
    expect(bad(encodeExtension(2, [{ market: 'BTC-USD', price: px('60000') }]), 2)).toMatch(
      /vote 0: invalid extension: extension is for height 2, expected 3/,
    );
    expect(bad(encodeExtension(3, [{ market: 'BTC-USD', price: 0n }]))).toMatch(/positive/);
    expect(bad(encodeExtension(3, [{ market: 'BTC-USD', price: px('1000000000') }]))).toMatch(
      /outside/,
    );
    expect(bad(encodeExtension(3, [{ market: 'DOGE-USD', price: ONE }]))).toMatch(/not listed/);
    const huge = encodeExtension(
      3,
      Array.from({ length: 400 }, () => ({ market: 'BTC-USD', price: px('60000') })).map(
        (r, i) => ({
          ...r,
          market: `M${i}-USD`,
        }),
      ),
    );
    expect(bad(huge)).toMatch(/bytes, expected at most/);
  });

  it('the entry placement: first, present when due, for the previous height', () => {
    const { chain, bytes, entry } = setup();
    expect(chain.checkProposal([])).toMatch(/missing oracle entry at height 4/);
    expect(chain.checkProposal([new Uint8Array([1]), bytes])).toMatch(/position 1/);
    expect(chain.checkProposal([bytes, bytes])).toMatch(/position 1/);
    expect(refuse(chain, { ...entry, height: 2 })).toMatch(/for height 2, expected 3/);
    // The first block has no previous height: no entry; the second may go without one.
    const fresh = new OracleChain({ validators: named('v', 2, 10n) });
    expect(fresh.checkProposal([])).toBeUndefined();
    expect(fresh.checkProposal([bytes])).toMatch(/unexpected oracle entry at height 1/);
    fresh.block(honest);
    expect(fresh.checkProposal([])).toBeUndefined();
    fresh.block(honest);
    expect(fresh.checkProposal([])).toMatch(/missing/);
  });
});

describe('oracle: queries, volatility, reports and genesis', () => {
  it('answers the queries and prunes old reports', () => {
    const chain = new OracleChain({ validators: named('v', 3, 10n), params: { reportsKept: 3 } });
    // A moving price gives a volatility.
    const moving = (v: ChainValidator, h: number) => {
      const o = honest(v);
      return { ...o, 'BTC-USD': o['BTC-USD']! + BigInt(h % 2) * px('300') };
    };
    chain.run(8, moving);
    const prices = chain.app.query('oracle/prices', {}).value as {
      market: string;
      volatility: string;
    }[];
    expect(prices.map((p) => p.market)).toEqual(['BWK-USD', 'BTC-USD', 'ETH-USD']);
    const btc = chain.app.query('oracle/price', { market: 'BTC-USD' }).value as Record<
      string,
      unknown
    >;
    expect(btc).toMatchObject({ stale: false, reduceOnly: false, height: 8 });
    expect(chain.oracle.volatility(chain.store, 'BTC-USD')).toBeGreaterThan(px('0.6'));
    expect(chain.app.query('oracle/price', { market: 'DOGE-USD' }).code).toBe(600);
    const reports = chain.app.query('oracle/reports', { market: 'BTC-USD', height: 7 });
    expect(reports.code).toBe(0);
    expect((reports.value as { reports: unknown[] }).reports).toHaveLength(3);
    expect(chain.app.query('oracle/reports', { market: 'BTC-USD', height: 3 }).code).toBe(603);
    const kept = [...chain.store.iterate('oracle/reports/')].length;
    expect(kept).toBe(3);
    expect(chain.app.query('oracle/params', {}).value).toMatchObject({ reportsKept: 3 });
    expect(chain.app.query('oracle/misses', { validator: 'bwk1nobody' }).code).not.toBe(0);
  });

  it('exports a genesis that imports to the same state', () => {
    const chain = new OracleChain({ validators: named('v', 3, 10n) });
    chain.run(4, honest);
    const exported = chain.module.exportGenesis(chain.store);
    const parsed = chain.module.genesisSchema.parse(JSON.parse(JSON.stringify(exported)));
    expect(parsed.markets.map((m) => m.price)).toEqual(
      chain.oracle.marketStates(chain.store).map((s) => s.price),
    );
    expect(parsed.params).toEqual(chain.oracle.params(chain.store));
    void CHAIN_ID;
  });
});
