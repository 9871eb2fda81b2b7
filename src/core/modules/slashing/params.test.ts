import { describe, expect, it } from 'vitest';
import { Context } from '../../app/module.ts';
import { ErrorCode } from '../../errors.ts';
import { fromDecimalString as dec } from '../../math/index.ts';
import { Branch } from '../../store/branch.ts';
import {
  DEVNET_SLASHING_PARAMS,
  MAINNET_SLASHING_PARAMS,
  paramsToJson,
  slashingParams,
  slashingParamsSchema,
} from './params.ts';
import { doubleSign, SlashingChain, tokens } from './test-chain.ts';

describe('slashing params', () => {
  it('presets are within bounds; mainnet-like = Cosmos defaults', () => {
    expect(slashingParamsSchema.parse(DEVNET_SLASHING_PARAMS)).toEqual(DEVNET_SLASHING_PARAMS);
    expect(slashingParamsSchema.parse(MAINNET_SLASHING_PARAMS)).toEqual(MAINNET_SLASHING_PARAMS);
    expect(MAINNET_SLASHING_PARAMS).toMatchObject({
      signedBlocksWindow: 10_000,
      downtimeJailDurationMs: 600_000,
      slashFractionDoubleSign: dec('0.05'),
      slashFractionDowntime: dec('0.0001'),
    });
    expect(DEVNET_SLASHING_PARAMS).toMatchObject({
      signedBlocksWindow: 20,
      minSignedPerWindow: dec('0.5'),
      downtimeJailDurationMs: 30_000,
    });
  });

  it('accepts decimal strings (genesis, governance) and round-trips through JSON', () => {
    const json = paramsToJson(DEVNET_SLASHING_PARAMS);
    expect(json.slashFractionDoubleSign).toBe('0.05');
    expect(slashingParamsSchema.parse(json)).toEqual(DEVNET_SLASHING_PARAMS);
  });

  it('refuses values out of bounds, changing nothing', () => {
    const c = new SlashingChain({ validators: [{ name: 'a', tokens: tokens(1n) }] });
    const branch = new Branch(c.app.state);
    for (const bad of [
      { slashFractionDowntime: '0.2' }, // above 10 %
      { slashFractionDoubleSign: '1.5' },
      { minSignedPerWindow: '-0.1' },
      { signedBlocksWindow: 1 },
      { correlationMultiplier: '101' },
      { maxAgeDurationMs: 0 },
      { slashFractionDowntime: 'lots' },
    ]) {
      expect(() => slashingParams.set(branch, { ...DEVNET_SLASHING_PARAMS, ...bad })).toThrowError(
        expect.objectContaining({ code: ErrorCode.InvalidParams }),
      );
    }
    expect(slashingParams.get(branch)).toEqual(slashingParams.get(c.app.state));
    slashingParams.set(branch, { ...DEVNET_SLASHING_PARAMS, slashFractionDowntime: '0.01' });
    expect(slashingParams.get(branch).slashFractionDowntime).toBe(dec('0.01'));
  });

  it('refuses a genesis whose evidence max age is not below the unbonding time', () => {
    expect(
      () =>
        new SlashingChain({
          validators: [{ name: 'a', tokens: tokens(1n) }],
          unbondingTimeMs: 60_000,
          params: { maxAgeDurationMs: 60_000 },
        }),
    ).toThrow(/maxAgeDurationMs must be below staking's unbondingTimeMs 60000/);
  });
});

describe('slashing genesis', () => {
  it('exports what it imports (signing infos, bitmaps, power, time, correlation records)', () => {
    const c = new SlashingChain({
      validators: ['a', 'b', 'c'].map((name) => ({ name, tokens: tokens(100n) })),
    });
    c.blocks(70, ['b']);
    c.block({ misbehavior: [doubleSign('c', 60, c.timeMs)] });
    const exported = c.app.module('slashing')!.exportGenesis(c.app.state);
    const parsed = c.app
      .module('slashing')!
      .genesisSchema.parse(JSON.parse(JSON.stringify(exported)));
    const d = new SlashingChain({ validators: [] });
    const branch = new Branch(d.app.state);
    const slashing = d.app.module('slashing')!;
    slashing.initGenesis(
      new Context(branch, {
        chainId: 'x',
        height: 0,
        timeMs: 0,
        proposer: '',
        hash: new Uint8Array(32),
      }),
      parsed,
    );
    const reexported = slashing.exportGenesis(branch);
    expect(reexported).toEqual(exported);
    expect((exported as { correlation: unknown[] }).correlation).toHaveLength(2);
  });
});
