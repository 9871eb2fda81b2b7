import { z } from 'zod';
import {
  type Context,
  defineMsg,
  defineQuery,
  type Invariant,
  type Module,
} from '../../app/module.ts';
import { decimalParam } from '../../app/param-schemas.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../../errors.ts';
import { ONE } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import { addressSchema } from '../bank/module.ts';
import { GOV_ADDRESS } from '../gov/keeper.ts';
import { ensureOptions, OptionsError } from './errors.ts';
import { type OptionsDeps, OptionsKeeper } from './keeper.ts';
import {
  DEFAULT_OPTIONS_PARAMS,
  MAINNET_OPTIONS_PARAMS,
  optionsParams,
  optionsParamsSchema,
  paramsToJson,
  seriesIdSchema,
  seriesSpecSchema,
  seriesToJson,
  specOf,
} from './params.ts';
import { settleDue } from './settlement.ts';
import { buy, sell } from './trading.ts';
import { positionView, quoteView, seriesView, vaultView } from './views.ts';

/** Contracts: any integer here; the keeper refuses ≤ 0 and > maxQtyPerTrade with its own code. */
const qtySchema = z.bigint();
/** A price per contract (per 1 uusd of payout), 0 to 1: a bigint ×1e18 or a decimal string. */
const priceSchema = decimalParam(0n, ONE);

/** Queries arrive as JSON: the quantity as a bigint or a decimal integer string. */
const queryQtySchema = z.union([
  z.bigint(),
  z
    .string()
    .regex(/^-?[0-9]{1,39}$/, 'qty must be a decimal integer string')
    .transform((s) => BigInt(s)),
]);

export const buyMsgSchema = z.strictObject({
  series: seriesIdSchema,
  qty: qtySchema,
  maxPrice: priceSchema,
});
export const sellMsgSchema = z.strictObject({
  series: seriesIdSchema,
  qty: qtySchema,
  minPrice: priceSchema,
});
export const listSeriesMsgSchema = z.strictObject({ series: seriesSpecSchema });

export const optionsGenesisSchema = z.strictObject({
  params: optionsParamsSchema.default(DEFAULT_OPTIONS_PARAMS),
  series: z
    .array(seriesSpecSchema)
    .max(1024)
    .default([])
    .refine((xs) => new Set(xs.map((s) => s.id)).size === xs.length, {
      message: 'series ids must be unique',
    }),
});
export type OptionsGenesis = z.output<typeof optionsGenesisSchema>;
export type OptionsGenesisInput = z.input<typeof optionsGenesisSchema>;

/**
 * The options module: binary (cash-or-nothing) options on oracle markets, each series backed
 * by an options vault that quotes (Black–Scholes with the oracle's volatility, a spread that
 * grows with its exposure) and takes the other side. End block: settlement of expired series.
 * Place it after oracle and vaults (genesis listings read both), before gov.
 */
export class OptionsModule implements Module<OptionsGenesis> {
  readonly name = 'options';
  readonly genesisSchema = optionsGenesisSchema as unknown as z.ZodType<OptionsGenesis>;
  readonly params = optionsParams as unknown as NonNullable<Module['params']>;

  constructor(readonly keeper: OptionsKeeper) {}

  readonly msgs = [
    defineMsg({
      type: 'options/buy',
      summary: "Buy contracts of a series from its vault at the vault's ask, at most maxPrice each",
      schema: buyMsgSchema,
      handle: (ctx, sender, m) => {
        buy(ctx, this.keeper, sender, m.series, m.qty, m.maxPrice);
      },
    }),
    defineMsg({
      type: 'options/sell',
      summary: "Sell held contracts back to the series' vault at its bid, at least minPrice each",
      schema: sellMsgSchema,
      handle: (ctx, sender, m) => {
        sell(ctx, this.keeper, sender, m.series, m.qty, m.minPrice);
      },
    }),
    defineMsg({
      type: 'options/list-series',
      summary: 'List a series (signed by the gov module account only)',
      schema: listSeriesMsgSchema,
      handle: (ctx, sender, m) => {
        ensureOptions(
          sender === GOV_ADDRESS,
          OptionsError.Unauthorized,
          () => `only the gov module account ${GOV_ADDRESS} may list a series, got ${sender}`,
        );
        this.keeper.listSeries(ctx, m.series);
      },
    }),
  ];

  readonly queries = [
    defineQuery({
      path: 'options/series',
      summary: 'Every series: listing, state (trading, halted, expired, settled, refunded), P&L',
      schema: z.strictObject({}),
      handle: (store) =>
        this.keeper.allSeries(store).map((s) => seriesView(this.keeper, store, s)) as Value,
    }),
    defineQuery({
      path: 'options/quote',
      summary: "The vault's buy and sell quote for QTY contracts of a series, as of the last block",
      schema: z.strictObject({ series: seriesIdSchema, qty: queryQtySchema }),
      handle: (store, a) => quoteView(this.keeper, store, a.series, a.qty) as unknown as Value,
    }),
    defineQuery({
      path: 'options/positions',
      summary: "An owner's open positions (contracts, cost) with the model value",
      schema: z.strictObject({ owner: addressSchema }),
      handle: (store, a) => positionView(this.keeper, store, a.owner) as unknown as Value,
    }),
    defineQuery({
      path: 'options/vaults',
      summary: 'Each options vault: cash, liability at model value, equity, worst case and limit',
      schema: z.strictObject({}),
      handle: (store) =>
        this.keeper.optionVaults(store).map((id) => vaultView(this.keeper, store, id)) as Value,
    }),
    defineQuery({
      path: 'options/params',
      summary: 'The options module parameters',
      schema: z.strictObject({}),
      handle: (store) => paramsToJson(this.keeper.params(store)),
    }),
  ];

  readonly invariants: Invariant[] = [
    {
      name: 'options/open-interest',
      check: (store) => {
        for (const s of this.keeper.allSeries(store)) {
          let qty = 0n;
          let cost = 0n;
          for (const h of this.keeper.holders(store, s.id)) {
            if (h.qty <= 0n || h.cost < 0n) return `${s.id}: position of ${h.owner} is ${h.qty}`;
            qty += h.qty;
            cost += h.cost;
          }
          if (qty !== s.open || cost !== s.openCost) {
            return `${s.id}: Σ positions ${qty} (cost ${cost}) ≠ open ${s.open} (cost ${s.openCost})`;
          }
          if (s.status !== 'open' && s.open !== 0n)
            return `${s.id}: ${s.status} with open contracts`;
        }
        return undefined;
      },
    },
    {
      name: 'options/vault-accounts',
      check: (store) => {
        for (const id of this.keeper.optionVaults(store)) {
          const v = this.keeper.vaults.vault(store, id);
          if (v === undefined) return `options vault ${id} does not exist`;
          let premiums = 0n;
          let paid = 0n;
          for (const s of this.keeper.allSeries(store)) {
            if (s.vault !== id) continue;
            premiums += s.premiums;
            paid += s.buybacks + s.payouts + s.refunds;
          }
          if (premiums !== v.premiums)
            return `${id}: Σ series premiums ${premiums} ≠ vault ${v.premiums}`;
          if (paid !== v.paidOut)
            return `${id}: Σ series payments ${paid} ≠ vault paid out ${v.paidOut}`;
          const cash = this.keeper.vaults.cash(store, id);
          const worst = this.keeper.worstCase(store, id);
          if (cash < worst) return `${id}: cash ${cash} below its worst-case payout ${worst}`;
        }
        return undefined;
      },
    },
  ];

  defaultGenesis(): OptionsGenesis {
    return { params: MAINNET_OPTIONS_PARAMS, series: [] };
  }

  initGenesis(ctx: Context, genesis: OptionsGenesis): void {
    optionsParams.set(ctx.store, genesis.params);
    for (const spec of genesis.series) {
      try {
        this.keeper.listSeries(ctx, spec);
      } catch (e) {
        if (e instanceof ChainError)
          throw new ChainError(ErrorCode.InvalidGenesis, `options genesis: ${e.message}`);
        throw e;
      }
    }
  }

  /** Params and the open series' listings (positions are not exported yet). */
  exportGenesis(store: ReadStore): Value {
    return {
      params: paramsToJson(this.keeper.params(store)),
      series: this.keeper.openSeries(store).map((s) => seriesToJson(specOf(s))),
    } as unknown as Value;
  }

  endBlock(ctx: Context): undefined {
    settleDue(ctx, this.keeper);
    return undefined;
  }
}

/** The options keeper and module. Wire the vault providers with `optionsVaultProviders`. */
export function createOptions(deps: OptionsDeps): { keeper: OptionsKeeper; module: OptionsModule } {
  const keeper = new OptionsKeeper(deps);
  return { keeper, module: new OptionsModule(keeper) };
}
