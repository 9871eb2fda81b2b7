import { describe, expect, it } from 'vitest';
import { Context } from '../../app/module.ts';
import { fromDecimalString, ONE } from '../../math/index.ts';
import { StateTree } from '../../store/state-tree.ts';
import type { ReadStore } from '../../store/store.ts';
import type { OracleKeeper } from '../oracle/keeper.ts';
import type { PerpsKeeper } from '../perps/keeper.ts';
import type { StakingKeeper } from '../staking/keeper.ts';
import type { VaultsKeeper } from '../vaults/keeper.ts';
import {
  createRisk,
  DEVNET_RISK_PARAMS,
  type RiskMarketSpec,
  type RiskParamsInput,
  riskParams,
  securingStake,
} from './index.ts';

const dec = fromDecimalString;
const USD = 1_000_000n; // uusd per USD
const BWK = 1_000_000n; // ubwk per BWK

/** Small fakes implementing only what the risk keeper calls. */
function setup(params: Partial<RiskParamsInput> = {}) {
  const store = new StateTree();
  const state = {
    bonded: 1_000_000n * BWK,
    bwkPrice: (2n * ONE) as bigint | undefined,
    oi: new Map<string, bigint>([
      ['BTC-USD', 10_000n * USD],
      ['ETH-USD', 4_000n * USD],
    ]),
    breaker: {
      maxMovePerBlock: dec('0.05'),
      maxMovePerWindow: dec('0.25'),
      breakerWindowBlocks: 60,
    },
    equity: new Map<string, bigint>([
      ['BTC-USD', 1_000n * USD],
      ['ETH-USD', 10_000_000n * USD],
    ]),
  };
  const market = (id: string): RiskMarketSpec => ({
    id,
    oracleMarket: id,
    vault: id,
    lockedOiRatio: dec('0.1'),
    baseImf: dec('0.05'),
    mmfRatio: dec('0.6'),
  });
  const specs = [market('BTC-USD'), market('ETH-USD')];
  const risk = createRisk({
    // One active member holding all the stake, its epoch power equal to its tokens.
    staking: {
      activeSet: () => [{ operator: 'v', power: state.bonded / BWK }],
      validator: () => ({ tokens: state.bonded, jailed: false }),
    },
    oracle: {
      price: (_s: ReadStore, m: string) =>
        m === 'BWK-USD' && state.bwkPrice !== undefined
          ? { price: state.bwkPrice, height: 1 }
          : undefined,
      volatility: (_s: ReadStore, m: string) => (m === 'BTC-USD' ? dec('0.6') : dec('0.8')),
      params: () => state.breaker,
    },
    vaults: { equity: (_s, id) => state.equity.get(id) ?? 0n },
  });
  risk.keeper.setPerps({
    markets: () => specs,
    openInterest: (_s, spec) => state.oi.get(spec.id) ?? 0n,
    marginFractions: (_s, spec) => ({
      imf: spec.baseImf,
      mmf: (spec.baseImf * spec.mmfRatio) / ONE,
    }),
  });
  const ctx = new Context(store, { height: 1, timeMs: 0 } as never);
  risk.module.initGenesis(ctx, {
    params: riskParams.schema.parse({ ...DEVNET_RISK_PARAMS, ...params }),
  });
  return { store, state, risk };
}

function query(
  risk: ReturnType<typeof setup>['risk'],
  store: ReadStore,
  path: string,
  args: unknown = {},
) {
  const q = risk.module.queries.find((x) => x.path === path);
  if (q === undefined) throw new Error(`no query ${path}`);
  return q.handle(store, q.schema.parse(args)) as Record<string, unknown>;
}

describe('risk keeper (hand-computed case)', () => {
  // Bonded 1,000,000 BWK at 2 USD, threshold ⅓ (0.333333333333333333), slashable 0.05:
  //   CoC = 10^12 ubwk · 0.333333333333333333 · 2 · 0.05 = 33,333,333,333.33… → 33,333,333,333 uusd
  // γ = 0.5: budget = ⌊33,333,333,333 / 1.5⌋ = 22,222,222,222 uusd
  // Breaker b = 0.05, w = 0.25, W = 60, A = 60: windows = ⌈60/60⌉+1 = 2,
  //   min(1.05^60 ≈ 18.68, 1.25^2 = 1.5625) − 1 = 0.5625
  // Equal weights: B_m = 11,111,111,111; cap_m = ⌊11,111,111,111 / 0.5625⌋ = 19,753,086,419 uusd
  // OI BTC 10,000 USD → PfC 5,625,000,000; ETH 4,000 USD → PfC 2,250,000,000; Σ 7,875,000,000
  // ratio = 33,333,333,333 / 7,875,000,000 = 4.232804232761904761
  // stake value 2·10^12 uusd → stake/OI BTC 200, ETH 500
  // vault cap BTC = 1,000 USD / 0.1 = 10,000 USD = 10^10 uusd (binding)
  it('summary: CoC, PfC, budget, ratio, secure', () => {
    const { risk, store } = setup();
    const s = query(risk, store, 'risk/summary');
    expect(s.coc).toBe(33_333_333_333n);
    expect(s.budget).toBe(22_222_222_222n);
    expect(s.pfcTotal).toBe(7_875_000_000n);
    expect(s.ratio).toBe('4.232804232761904761');
    expect(s.secure).toBe(true);
    expect(s.bondedStake).toBe(1_000_000_000_000n);
    expect(s.bwkPrice).toBe('2');
    expect(s.maxMove).toBe('0.5625');
    expect((s.markets as unknown[]).length).toBe(2);
  });

  it('market: OI, move, PfC, caps, margin, stake/OI', () => {
    const { risk, store } = setup();
    expect(query(risk, store, 'risk/market', { market: 'BTC-USD' })).toEqual({
      market: 'BTC-USD',
      oi: 10_000_000_000n,
      maxMove: '0.5625',
      pfc: 5_625_000_000n,
      cap: { vault: 10_000_000_000n, security: 19_753_086_419n, effective: 10_000_000_000n },
      margin: { imf: '0.05', mmf: '0.03', sigmaAnnual: '0.6' },
      stakeToOi: '200',
    });
    const eth = query(risk, store, 'risk/market', { market: 'ETH-USD' });
    expect(eth.cap).toEqual({
      vault: 100_000_000_000_000n,
      security: 19_753_086_419n,
      effective: 19_753_086_419n,
    });
    expect(eth.stakeToOi).toBe('500');
    expect(() => query(risk, store, 'risk/market', { market: 'SOL-USD' })).toThrow(
      /unknown market SOL-USD: expected one of \[BTC-USD, ETH-USD\]/,
    );
  });

  it('secure flips when OI exceeds the budget', () => {
    const { risk, store, state } = setup();
    // BTC OI 40,000 USD → PfC 22,500,000,000; Σ 24,750,000,000 > 22,222,222,222
    state.oi.set('BTC-USD', 40_000n * USD);
    const s = query(risk, store, 'risk/summary');
    expect(s.pfcTotal).toBe(24_750_000_000n);
    expect(s.secure).toBe(false);
    expect(s.ratio).toBe('1.346801346787878787');
    // Exactly at the budget still holds: Σ PfC = budget.
    // BTC OI x with 0.5625·x + 2,250,000,000 = 22,222,222,222 → x = 35,506,172,839.1 → pick
    // the largest whole x: PfC(35,506,172,839) = ⌈19,972,222,221.9⌉ = 19,972,222,222 → Σ = budget
    state.oi.set('BTC-USD', 35_506_172_839n);
    expect(query(risk, store, 'risk/summary').secure).toBe(true);
    state.oi.set('BTC-USD', 35_506_172_841n);
    expect(query(risk, store, 'risk/summary').secure).toBe(false);
  });

  it('securityCapSource: the market share of the budget; weights split it', () => {
    const { risk, store } = setup({
      weights: [{ market: 'BTC-USD', weight: '3' }],
    });
    // Σw = 3 + 1: B_BTC = ⌊22,222,222,222·3/4⌋ = 16,666,666,666 → cap ⌊/0.5625⌋ = 29,629,629,628
    // B_ETH = ⌊22,222,222,222/4⌋ = 5,555,555,555 → cap ⌊/0.5625⌋ = 9,876,543,208
    expect(risk.keeper.securityCapSource(store, 'BTC-USD')).toBe(29_629_629_628n);
    expect(risk.keeper.securityCapSource(store, 'ETH-USD')).toBe(9_876_543_208n);
    expect(risk.keeper.securityCapSource(store, 'SOL-USD')).toBeUndefined();
  });

  it('no BWK price: CoC 0, every security cap 0 (fail closed)', () => {
    const { risk, store, state } = setup();
    state.bwkPrice = undefined;
    const s = query(risk, store, 'risk/summary');
    expect(s.coc).toBe(0n);
    expect(s.bwkPrice).toBeNull();
    expect(s.secure).toBe(false);
    expect(risk.keeper.securityCapSource(store, 'BTC-USD')).toBe(0n);
    const m = query(risk, store, 'risk/market', { market: 'BTC-USD' });
    expect(m.stakeToOi).toBe('0');
  });

  it('no OI: ratio and stake/OI null, secure', () => {
    const { risk, store, state } = setup();
    state.oi.clear();
    const s = query(risk, store, 'risk/summary');
    expect(s.pfcTotal).toBe(0n);
    expect(s.ratio).toBeNull();
    expect(s.secure).toBe(true);
    expect(query(risk, store, 'risk/market', { market: 'ETH-USD' }).stakeToOi).toBeNull();
  });
});

describe('risk end block: the figures as events', () => {
  const endBlock = (risk: ReturnType<typeof setup>['risk'], store: StateTree) => {
    const ctx = new Context(store, { height: 2, timeMs: 0 } as never);
    risk.module.endBlock(ctx);
    return ctx.events;
  };

  it('risk_summary and one risk_market per market (the hand-computed case)', () => {
    const { risk, store } = setup();
    const events = endBlock(risk, store);
    expect(events.map((e) => e.type)).toEqual(['risk_summary', 'risk_market', 'risk_market']);
    expect(events[0]!.attributes).toEqual({
      coc: '33333333333',
      pfcTotal: '7875000000',
      ratio: '4.232804232761904761',
      budget: '22222222222',
      secure: 'true',
      bondedStake: '1000000000000',
      bwkPrice: '2',
    });
    expect(events[1]!.attributes).toEqual({
      market: 'BTC-USD',
      oi: '10000000000',
      pfc: '5625000000',
      capVault: '10000000000',
      capSecurity: '19753086419',
      capEffective: '10000000000',
      imf: '0.05',
      mmf: '0.03',
    });
  });

  it('an unbounded breaker gives risk_unavailable instead of halting the chain', () => {
    const { risk, store, state } = setup({ attackBlocks: 100_000 });
    state.breaker = {
      maxMovePerBlock: dec('1'),
      maxMovePerWindow: dec('10'),
      breakerWindowBlocks: 1,
    };
    const events = endBlock(risk, store);
    expect(events.map((e) => e.type)).toEqual(['risk_unavailable']);
    expect(events[0]!.attributes.reason).toMatch(/does not bound the move/);
  });
});

describe('securingStake', () => {
  it('counts min(epoch power, tokens) of the unjailed active members', () => {
    const validators = new Map([
      // Delegated 5 BWK after the epoch: power still 10 → counts 10 BWK.
      ['a', { tokens: 15n * BWK, jailed: false }],
      // Slashed/undelegated since the epoch: tokens 4 BWK < power 10 → counts 4 BWK.
      ['b', { tokens: 4n * BWK, jailed: false }],
      // Jailed: does not report, does not count.
      ['c', { tokens: 100n * BWK, jailed: true }],
    ]);
    const staking = {
      activeSet: () => [
        { operator: 'a', power: 10n },
        { operator: 'b', power: 10n },
        { operator: 'c', power: 100n },
        { operator: 'gone', power: 7n },
      ],
      validator: (_s: ReadStore, op: string) => validators.get(op),
    };
    expect(securingStake(staking, new StateTree())).toBe(14n * BWK);
  });
});

describe('risk params and genesis', () => {
  it('bounds are checked; genesis exports decimal strings and reads them back', () => {
    const { risk, store } = setup();
    expect(() => riskParams.set(store, { ...DEVNET_RISK_PARAMS, gamma: dec('11') })).toThrow(
      /gamma/,
    );
    expect(() => riskParams.set(store, { ...DEVNET_RISK_PARAMS, thresholdFraction: 0n })).toThrow(
      /thresholdFraction/,
    );
    const g = risk.module.exportGenesis(store);
    expect(g).toEqual({
      params: {
        attackBlocks: 60,
        thresholdFraction: '0.333333333333333333',
        slashableFraction: '0.05',
        gamma: '0.5',
        weights: [],
      },
    });
    const parsed = risk.module.genesisSchema.parse(g);
    expect(parsed.params?.gamma).toBe(dec('0.5'));
    expect(risk.module.defaultGenesis()).toEqual({});
    expect(risk.module.params).toBe(riskParams);
  });

  it('the real keepers fit the interfaces (type check)', () => {
    const wire = (s: StakingKeeper, o: OracleKeeper, p: PerpsKeeper, v: VaultsKeeper) =>
      createRisk({ staking: s, oracle: o, vaults: v, perps: p });
    expect(typeof wire).toBe('function');
  });
});
