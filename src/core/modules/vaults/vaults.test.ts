import { describe, expect, it } from 'vitest';
import type { Value } from '../../encoding/canonical.ts';
import { ErrorCode } from '../../errors.ts';
import { ONE } from '../../math/index.ts';
import { send } from '../../testing/harness.ts';
import { VaultError } from './errors.ts';
import { MAINNET_VAULTS_PARAMS, vaultsParams } from './params.ts';
import {
  alice,
  bob,
  cancelWithdraw,
  carol,
  deposit,
  fee,
  loss,
  MARKET_POOL,
  payout,
  requestWithdraw,
  START,
  setMarket,
  TestMarketModule,
  VaultChain,
  withdraw,
} from './testing.ts';

const COOLDOWN = 60_000;
const M = 10n ** 24n; // one million shares (raw)

describe('deposits and withdrawals at changing share prices', () => {
  it('mints and pays at equity per share (hand-computed)', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    expect(c.shares('BTC-USD', alice)).toBe(M); // first deposit 1:1
    c.ok(carol, fee('BTC-USD', 500_000n)); // equity 1.5M → price 1.5
    expect(c.keeper.sharePrice(c.store, 'BTC-USD')).toBe((3n * ONE) / 2n);
    c.ok(bob, deposit('BTC-USD', 3_000_000n)); // 3M / 1.5 = 2M shares
    expect(c.shares('BTC-USD', bob)).toBe(2n * M);
    c.ok(carol, loss('BTC-USD', 900_000n)); // equity 3.6M over 3M shares → 1.2
    expect(c.keeper.equity(c.store, 'BTC-USD')).toBe(3_600_000n);
    expect(c.uusd(MARKET_POOL)).toBe(900_000n);

    c.ok(alice, requestWithdraw('BTC-USD', M));
    c.ok(bob, requestWithdraw('BTC-USD', 2n * M));
    // During the cooldown the earmarked shares still bear gains: +300_000 → price 1.3.
    c.ok(carol, fee('BTC-USD', 300_000n, 'liquidation-fee'));
    const a0 = c.uusd(alice.address);
    c.ok(alice, withdraw('BTC-USD'), COOLDOWN);
    expect(c.uusd(alice.address) - a0).toBe(1_300_000n);
    const b0 = c.uusd(bob.address);
    c.ok(bob, withdraw('BTC-USD'));
    expect(c.uusd(bob.address) - b0).toBe(2_600_000n);
    const v = c.keeper.requireVault(c.store, 'BTC-USD');
    expect(v.totalShares).toBe(0n);
    expect(c.keeper.cash(c.store, 'BTC-USD')).toBe(0n);
    expect(v.tradingFees).toBe(500_000n);
    expect(v.liquidationFees).toBe(300_000n);
    expect(v.lossCovered).toBe(900_000n);
  });

  it('rounds against the depositor and the withdrawer; the unit lost stays with the holders', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    c.ok(carol, fee('BTC-USD', 1n)); // equity 1_000_001
    c.ok(bob, deposit('BTC-USD', 1_000_000n));
    // ⌊10^6 · 10^24 / 1_000_001⌋
    expect(c.shares('BTC-USD', bob)).toBe(999_999_000_000_999_999_000_000n);
    c.ok(bob, requestWithdraw('BTC-USD', c.shares('BTC-USD', bob)));
    c.ok(alice, requestWithdraw('BTC-USD', M));
    const b0 = c.uusd(bob.address);
    const a0 = c.uusd(alice.address);
    c.ok(bob, withdraw('BTC-USD'), COOLDOWN);
    c.ok(alice, withdraw('BTC-USD'));
    // Bob: ⌊s · 2_000_001 / T⌋ = 999_999 (T = 10^24 + s): he lost a unit to rounding twice.
    expect(c.uusd(bob.address) - b0).toBe(999_999n);
    // Alice, the last holder: everything left, 2_000_001 − 999_999.
    expect(c.uusd(alice.address) - a0).toBe(1_000_002n);
    expect(c.keeper.cash(c.store, 'BTC-USD')).toBe(0n);
    // The next depositor of the now empty vault gets 1:1 shares again.
    c.ok(carol, deposit('BTC-USD', 1_000_000n));
    expect(c.shares('BTC-USD', carol)).toBe(M);
  });

  it('prices with the equity adjustment from the product module', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    c.ok(carol, setMarket('BTC-USD', { adjust: -200_000n })); // backstop positions lose 200k
    expect(c.keeper.equity(c.store, 'BTC-USD')).toBe(800_000n);
    c.ok(bob, deposit('BTC-USD', 1_600_000n)); // price 0.8: 1.6M buys 2M shares
    expect(c.shares('BTC-USD', bob)).toBe(2n * M);
    const info = c.app.query('vaults/info', { vault: 'BTC-USD' }).value as Record<string, Value>;
    expect(info).toMatchObject({
      equity: 2_400_000n,
      cash: 2_600_000n,
      adjustment: -200_000n,
      locked: 0n,
      free: 2_400_000n,
      totalShares: 3n * M,
      sharePrice: '0.8',
      insolvent: false,
    });
  });
});

describe('cooldown and window', () => {
  it('refuses a withdrawal before the cooldown, saying when it ends; nothing changes', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 2_000_000n));
    c.ok(alice, requestWithdraw('BTC-USD', M));
    const unlock = c.timeMs + COOLDOWN;
    const before = c.snapshot('BTC-USD');
    const u0 = c.uusd(alice.address);
    const r = c.run(alice, withdraw('BTC-USD'), COOLDOWN - 1_000);
    expect(r.code).toBe(VaultError.CooldownNotOver);
    expect(r.log).toContain(`unlocks at ${unlock}`);
    expect(r.log).toContain('1000 ms left');
    expect(c.snapshot('BTC-USD')).toEqual(before);
    expect(c.uusd(alice.address)).toBe(u0);
    c.ok(alice, withdraw('BTC-USD')); // exactly at the unlock time
    expect(c.uusd(alice.address) - u0).toBe(1_000_000n);
    expect(c.shares('BTC-USD', alice)).toBe(M);
  });

  it('a matured request expires after the window; request-withdraw drops it', () => {
    const c = new VaultChain({ params: { withdrawWindowMs: 10_000 } });
    c.ok(alice, deposit('BTC-USD', 2_000_000n));
    c.ok(alice, requestWithdraw('BTC-USD', M));
    const r = c.run(alice, withdraw('BTC-USD'), COOLDOWN + 11_000);
    expect(r.code).toBe(VaultError.RequestExpired);
    const q = c.app.query('vaults/shares', { vault: 'BTC-USD', owner: alice.address }).value as {
      pending: { status: string }[];
    };
    expect(q.pending.map((p) => p.status)).toEqual(['expired']);
    const events = c.ok(alice, requestWithdraw('BTC-USD', 2n * M)); // all shares again
    expect(events.some((e) => e.type === 'vault_withdraw_expired')).toBe(true);
    expect(c.keeper.pendingWithdrawals(c.store, 'BTC-USD', alice.address)).toHaveLength(1);
  });

  it('withdraws only the matured requests, leaves the cooling ones', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 3_000_000n));
    c.ok(alice, requestWithdraw('BTC-USD', M));
    c.ok(alice, requestWithdraw('BTC-USD', M), 30_000);
    const u0 = c.uusd(alice.address);
    c.ok(alice, withdraw('BTC-USD'), 30_000);
    expect(c.uusd(alice.address) - u0).toBe(1_000_000n);
    const left = c.keeper.pendingWithdrawals(c.store, 'BTC-USD', alice.address);
    expect(left.map((r) => r.request)).toEqual([2]);
  });

  it('cancel-withdraw frees the earmark; NothingPending when there is none', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    c.ok(alice, requestWithdraw('BTC-USD', M));
    expect(c.run(alice, requestWithdraw('BTC-USD', 1n)).code).toBe(VaultError.InsufficientShares);
    expect(c.run(alice, cancelWithdraw('BTC-USD', 7)).code).toBe(VaultError.NothingPending);
    c.ok(alice, cancelWithdraw('BTC-USD', 1));
    expect(c.run(alice, withdraw('BTC-USD')).code).toBe(VaultError.NothingPending);
    expect(c.run(alice, cancelWithdraw('BTC-USD')).code).toBe(VaultError.NothingPending);
    c.ok(alice, requestWithdraw('BTC-USD', M));
  });
});

describe('locked capital', () => {
  it('refuses a payout that would dip into locked capital, saying by how much', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    c.ok(bob, deposit('BTC-USD', 1_000_000n));
    c.ok(alice, requestWithdraw('BTC-USD', M));
    c.ok(carol, setMarket('BTC-USD', { locked: 1_400_000n })); // free 600_000
    expect(c.keeper.free(c.store, 'BTC-USD')).toBe(600_000n);
    const before = c.snapshot('BTC-USD');
    const r = c.run(alice, withdraw('BTC-USD'), COOLDOWN);
    expect(r.code).toBe(VaultError.LockedCapital);
    expect(r.log).toContain('exceeds the free capital of vault BTC-USD by 400000uusd');
    expect(r.log).toContain('free 600000, locked 1400000');
    expect(c.snapshot('BTC-USD')).toEqual(before);
    c.ok(carol, setMarket('BTC-USD', { locked: 1_000_000n })); // positions closed: free 1M
    const u0 = c.uusd(alice.address);
    c.ok(alice, withdraw('BTC-USD'));
    expect(c.uusd(alice.address) - u0).toBe(1_000_000n);
  });

  it('unrealized gains are not withdrawable cash', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    c.ok(carol, setMarket('BTC-USD', { adjust: 1_000_000n })); // equity 2M, cash 1M
    c.ok(alice, requestWithdraw('BTC-USD', M));
    const r = c.run(alice, withdraw('BTC-USD'), COOLDOWN);
    expect(r.code).toBe(VaultError.LockedCapital);
    expect(r.log).toContain('by 1000000uusd');
  });
});

describe('losses and the fuse', () => {
  it('absorbLoss beyond cash returns the uncovered part; the other vault is untouched', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    c.ok(bob, deposit('ETH-USD', 5_000_000n));
    const eth = c.snapshot('ETH-USD');
    const events = c.ok(carol, loss('BTC-USD', 1_250_000n));
    const ev = events.find((e) => e.type === 'vault_loss');
    expect(ev?.attributes).toMatchObject({ covered: '1000000', uncovered: '250000' });
    expect(events.some((e) => e.type === 'vault_exhausted')).toBe(true);
    expect(TestMarketModule.uncovered(c.store, 'BTC-USD')).toBe(250_000n);
    expect(c.keeper.cash(c.store, 'BTC-USD')).toBe(0n);
    expect(c.snapshot('ETH-USD')).toEqual(eth);
    // An exhausted vault pays nothing more and refuses deposits and withdrawals.
    c.ok(carol, loss('BTC-USD', 10n));
    expect(TestMarketModule.uncovered(c.store, 'BTC-USD')).toBe(250_010n);
    expect(c.run(bob, deposit('BTC-USD', 1_000_000n)).code).toBe(VaultError.VaultInsolvent);
    c.ok(alice, requestWithdraw('BTC-USD', M));
    expect(c.run(alice, withdraw('BTC-USD'), COOLDOWN).code).toBe(VaultError.VaultInsolvent);
    expect(c.snapshot('ETH-USD')).toEqual(eth);
  });

  it('payOut pays at most the cash and returns it', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    const u0 = c.uusd(carol.address);
    const events = c.ok(carol, payout('BTC-USD', carol.address, 3_000_000n));
    expect(events.find((e) => e.type === 'vault_payout')?.attributes).toMatchObject({
      requested: '3000000',
      paid: '1000000',
    });
    expect(c.uusd(carol.address) - u0).toBe(1_000_000n);
  });

  it('refuses to move tokens between two vault accounts', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    const ethAccount = c.keeper.accountOf('ETH-USD');
    const r = c.run(carol, payout('BTC-USD', ethAccount, 10n));
    expect(r.code).toBe(VaultError.IsolationBreach);
    expect(r.log).toContain('account of vault ETH-USD');
    const self = c.run(carol, payout('BTC-USD', c.keeper.accountOf('BTC-USD'), 10n));
    expect(self.code).toBe(VaultError.IsolationBreach);
  });

  it('each vault has its own account: moduleAddress("vaults/<id>")', () => {
    const c = new VaultChain();
    const accounts = c.keeper.vaults(c.store).map((v) => v.account);
    expect(new Set(accounts).size).toBe(2);
    expect(c.keeper.vaultOfAccount(c.store, accounts[0] as string)).toBe('BTC-USD');
  });

  it('an outflow behind the keeper breaks the booked-cash invariant', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    const steal = { type: 'testmarket/steal', value: { vault: 'BTC-USD', amount: 1n } };
    expect(() => c.block([c.tx(carol, [steal])])).toThrow(/vaults\/booked-cash/);
  });

  it('a plain bank send into a vault account is a donation to its holders', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 1_000_000n));
    c.ok(carol, send(c.keeper.accountOf('BTC-USD'), 500_000n, 'uusd'));
    expect(c.keeper.equity(c.store, 'BTC-USD')).toBe(1_500_000n);
    const events = c.ok(bob, deposit('BTC-USD', 1_500_000n));
    expect(events.find((e) => e.type === 'vault_donation')?.attributes.amount).toBe('500000');
    expect(c.shares('BTC-USD', bob)).toBe(M);
    expect(c.keeper.requireVault(c.store, 'BTC-USD').booked).toBe(3_000_000n);
  });
});

describe('bad input: a clear code, nothing changed', () => {
  const cases: [string, (c: VaultChain) => ReturnType<VaultChain['run']>, number][] = [
    ['unknown vault', (c) => c.run(alice, deposit('SOL-USD', 2_000_000n)), VaultError.UnknownVault],
    [
      'deposit below the minimum',
      (c) => c.run(alice, deposit('BTC-USD', 999_999n)),
      VaultError.BelowMinDeposit,
    ],
    [
      'more shares than held',
      (c) => c.run(alice, requestWithdraw('BTC-USD', 5n * M + 1n)),
      VaultError.InsufficientShares,
    ],
    [
      'withdraw with nothing pending',
      (c) => c.run(alice, withdraw('BTC-USD')),
      VaultError.NothingPending,
    ],
    [
      'a fifth pending request',
      (c) => {
        for (let i = 0; i < 4; i++) c.ok(alice, requestWithdraw('BTC-USD', 1n));
        return c.run(alice, requestWithdraw('BTC-USD', 1n));
      },
      VaultError.TooManyPending,
    ],
    [
      'deposit more uusd than held',
      (c) => c.run(alice, deposit('BTC-USD', START)),
      ErrorCode.InsufficientFunds,
    ],
    ['zero shares', (c) => c.run(alice, requestWithdraw('BTC-USD', 0n)), ErrorCode.InvalidRequest],
    [
      'a bad vault id',
      (c) => c.run(alice, deposit('BTC/USD', 2_000_000n)),
      ErrorCode.InvalidRequest,
    ],
    [
      'income in another denom',
      (c) =>
        c.run(carol, {
          type: 'testmarket/fee',
          value: { vault: 'BTC-USD', amount: 5n, kind: 'premium', denom: 'ubwk' },
        }),
      VaultError.WrongDenom,
    ],
    ['a negative loss', (c) => c.run(carol, loss('BTC-USD', -1n)), VaultError.InvalidAmount],
  ];
  for (const [name, act, code] of cases) {
    it(`${name} → ${code}`, () => {
      const c = new VaultChain();
      c.ok(alice, deposit('BTC-USD', 5_000_000n));
      const before = [c.snapshot('BTC-USD'), c.snapshot('ETH-USD')];
      const pendingBefore = c.keeper.pendingWithdrawals(c.store, 'BTC-USD', alice.address).length;
      const u0 = c.uusd(alice.address);
      const r = act(c);
      expect(r.code).toBe(code);
      expect(r.log.length).toBeGreaterThan(10);
      if (code !== VaultError.TooManyPending) {
        expect([c.snapshot('BTC-USD'), c.snapshot('ETH-USD')]).toEqual(before);
        expect(c.keeper.pendingWithdrawals(c.store, 'BTC-USD', alice.address)).toHaveLength(
          pendingBefore,
        );
      }
      expect(c.uusd(alice.address)).toBe(u0);
    });
  }

  it('a deposit too small to mint a share', () => {
    const c = new VaultChain({ params: { minDeposit: 1n }, startAmount: 10n ** 20n });
    c.ok(alice, deposit('BTC-USD', 1n)); // 1e18 raw shares
    c.ok(carol, fee('BTC-USD', 10n ** 19n)); // price ≈ 1e19 per share
    const r = c.run(bob, deposit('BTC-USD', 1n)); // 1e18 / (1e19+1) → 0 raw shares
    expect(r.code).toBe(VaultError.ZeroShares);
  });
});

describe('genesis, params, queries', () => {
  it('seeds a vault at genesis and round-trips its state through export', () => {
    const c = new VaultChain({
      vaults: [
        { id: 'BTC-USD', seed: { depositor: alice.address, amount: '10000000' } },
        { id: 'options-ETH' },
      ],
    });
    expect(c.shares('BTC-USD', alice)).toBe(10n * M);
    expect(c.keeper.cash(c.store, 'BTC-USD')).toBe(10_000_000n);
    c.ok(bob, deposit('options-ETH', 2_000_000n));
    c.ok(bob, requestWithdraw('options-ETH', M));
    c.ok(carol, fee('options-ETH', 7n, 'premium'));
    const exported = c.module.exportGenesis(c.store);
    const d = new VaultChain({
      app: { bank: c.app.module('bank')?.exportGenesis(c.store), vaults: exported },
    });
    for (const id of ['BTC-USD', 'options-ETH']) expect(d.snapshot(id)).toEqual(c.snapshot(id));
    expect(d.module.exportGenesis(d.store)).toEqual(exported);
    // The imported chain carries on: bob's request matures and pays at the same price.
    d.timeMs = c.timeMs;
    const u0 = d.uusd(bob.address);
    d.ok(bob, withdraw('options-ETH'), COOLDOWN);
    expect(d.uusd(bob.address) - u0).toBe(1_000_003n); // ⌊10^24 · 2_000_007 / (2·10^24)⌋
  });

  it('refuses a genesis whose shares do not add up', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 2_000_000n));
    const exported = c.module.exportGenesis(c.store) as {
      vaults: { state: { totalShares: string } }[];
    };
    const broken = structuredClone(exported);
    (broken.vaults[0] as { state: { totalShares: string } }).state.totalShares = '1';
    expect(
      () =>
        new VaultChain({
          app: { bank: c.app.module('bank')?.exportGenesis(c.store), vaults: broken },
        }),
    ).toThrow(/holders' shares add up to/);
  });

  it('params have bounds (a governance change out of bounds is refused)', () => {
    const c = new VaultChain();
    expect(() =>
      vaultsParams.set(c.app.state, { ...MAINNET_VAULTS_PARAMS, cooldownMs: 0 }),
    ).toThrow(/cooldownMs/);
    expect(() =>
      vaultsParams.set(c.app.state, { ...MAINNET_VAULTS_PARAMS, feeShareToVault: '1.5' }),
    ).toThrow(/feeShareToVault/);
    const q = c.app.query('vaults/params', {}).value as Record<string, Value>;
    expect(q).toMatchObject({ cooldownMs: 60_000, feeShareToVault: '0.5', minDeposit: '1000000' });
  });

  it('lists vaults and an owner’s shares with their value and pending requests', () => {
    const c = new VaultChain();
    c.ok(alice, deposit('BTC-USD', 2_000_000n));
    c.ok(alice, requestWithdraw('BTC-USD', M));
    c.ok(carol, fee('BTC-USD', 200_000n));
    const list = c.app.query('vaults/list', {}).value as { id: string }[];
    expect(list.map((v) => v.id)).toEqual(['BTC-USD', 'ETH-USD']);
    const s = c.app.query('vaults/shares', { vault: 'BTC-USD', owner: alice.address }).value;
    expect(s).toMatchObject({
      shares: 2n * M,
      value: 2_200_000n,
      pending: [{ request: 1, shares: M, value: 1_100_000n, status: 'cooling' }],
    });
    const unknown = c.app.query('vaults/info', { vault: 'NOPE' });
    expect(unknown.code).toBe(VaultError.UnknownVault);
    expect(unknown.log).toContain('BTC-USD, ETH-USD');
  });
});
