import { z } from 'zod';
import {
  type Context,
  defineMsg,
  defineQuery,
  type Invariant,
  type Module,
} from '../../app/module.ts';
import { amountSchema } from '../../coin.ts';
import type { Value } from '../../encoding/canonical.ts';
import { ChainError, ErrorCode } from '../../errors.ts';
import { toDecimalString } from '../../math/index.ts';
import type { ReadStore } from '../../store/store.ts';
import type { BankKeeper } from '../bank/keeper.ts';
import { addressSchema } from '../bank/module.ts';
import { GOV_ADDRESS } from '../gov/keeper.ts';
import type { VaultsKeeperApi } from '../vaults/api.ts';
import type { PauseSource, PriceSource, SecurityCapSource } from './api.ts';
import { orderToValue } from './book/index.ts';
import { PerpsKeeper } from './keeper.ts';
import { NOTIONAL_SCALE, unrealizedPnl } from './math/index.ts';
import {
  DEFAULT_PERPS_PARAMS,
  MAINNET_PERPS_PARAMS,
  type MarketSpec,
  marketIdSchema,
  marketSpecSchema,
  marketToJson,
  PERPS_DENOM,
  paramsToJson,
  perpsParams,
  perpsParamsSchema,
} from './params.ts';

const fractionsToJson = (f: { imf: bigint; mmf: bigint }) => ({
  imf: toDecimalString(f.imf),
  mmf: toDecimalString(f.mmf),
});

const safeInt = (lo: number) => z.number().int().min(lo).max(Number.MAX_SAFE_INTEGER);

export const placeItemSchema = z.strictObject({
  market: marketIdSchema,
  clientId: safeInt(0),
  side: z.enum(['buy', 'sell']),
  /** Integer ticks ≥ 1 (the book checks the market's maximum). */
  priceTicks: safeInt(1),
  /** Integer quantums ≥ 1: zero and negative sizes are refused here. */
  sizeQuantums: safeInt(1),
  type: z.enum(['limit', 'market']).default('limit'),
  timeInForce: z.enum(['gtc', 'ioc', 'post-only']).default('gtc'),
  reduceOnly: z.boolean().default(false),
  goodTilBlock: safeInt(0).optional(),
});

export const orderItemSchema = z.union([
  z.strictObject({ place: placeItemSchema }),
  z.strictObject({
    cancel: z
      .strictObject({
        market: marketIdSchema,
        clientId: safeInt(0).optional(),
        orderId: z
          .string()
          .regex(/^[0-9]{16}$/)
          .optional(),
      })
      .refine((c) => (c.clientId === undefined) !== (c.orderId === undefined), {
        message: 'give exactly one of clientId, orderId',
      }),
  }),
  z.strictObject({ cancelAll: z.strictObject({ market: marketIdSchema }) }),
]);

export const placeOrdersMsgSchema = z.strictObject({
  orders: z.array(orderItemSchema).min(1).max(256),
});
export const collateralMsgSchema = z.strictObject({ market: marketIdSchema, amount: amountSchema });
/** A listing after genesis: the same spec as a genesis market. */
export const listMarketMsgSchema = z.strictObject({ market: marketSpecSchema });

export const perpsGenesisSchema = z.strictObject({
  params: perpsParamsSchema.default(DEFAULT_PERPS_PARAMS),
  markets: z
    .array(marketSpecSchema)
    .max(256)
    .default([])
    .refine((ms) => new Set(ms.map((m) => m.id)).size === ms.length, {
      message: 'market ids must be unique',
    }),
});
export type PerpsGenesis = z.output<typeof perpsGenesisSchema>;
export type PerpsGenesisInput = z.input<typeof perpsGenesisSchema>;

/**
 * The perpetuals module: markets listed at genesis or by governance (`perps/list-market`),
 * isolated subaccounts (collateral per owner and market, held in the market's pool
 * `moduleAddress('perps/<market>')`), a central limit order book per market matched when the
 * tx executes, fees shared with the market's vault. End block: expiry of good-til-block
 * orders, then funding (a premium sample every block, settlement every
 * `fundingIntervalBlocks`), then liquidation of accounts below maintenance margin (book, then
 * the vault's takeover, then deleveraging; bad debt to the vault). Place it after vaults (it
 * reads them at genesis) and after oracle (prices).
 */
export class PerpsModule implements Module<PerpsGenesis> {
  readonly name = 'perps';
  readonly genesisSchema = perpsGenesisSchema as unknown as z.ZodType<PerpsGenesis>;
  readonly params = perpsParams as unknown as NonNullable<Module['params']>;

  constructor(readonly keeper: PerpsKeeper) {}

  readonly msgs = [
    defineMsg({
      type: 'perps/deposit',
      summary: "Move uusd into the signer's subaccount of a market (its isolated collateral)",
      schema: collateralMsgSchema,
      handle: (ctx, sender, m) => this.keeper.deposit(ctx, m.market, sender, m.amount),
    }),
    defineMsg({
      type: 'perps/withdraw',
      summary: 'Withdraw collateral, keeping equity ≥ initial margin',
      schema: collateralMsgSchema,
      handle: (ctx, sender, m) => this.keeper.withdraw(ctx, m.market, sender, m.amount),
    }),
    defineMsg({
      type: 'perps/place-orders',
      summary: 'Place and cancel orders (many, in order, under one signature); matched at once',
      schema: placeOrdersMsgSchema,
      handle: (ctx, sender, m) => this.keeper.placeOrders(ctx, sender, m.orders),
    }),
    defineMsg({
      type: 'perps/list-market',
      summary: 'List a market on a new vault of its own (signed by the gov module account only)',
      schema: listMarketMsgSchema,
      handle: (ctx, sender, m) => this.listByGov(ctx, sender, m.market),
    }),
  ];

  /**
   * A listing by governance (an execute proposal): a new id, on an oracle market with a
   * price, backed by a vault created for it — an existing vault may back another market or
   * an options series, and a perps market takes no vault it shares with another product.
   */
  private listByGov(ctx: Context, sender: string, spec: MarketSpec): void {
    const refuse = (why: string) =>
      new ChainError(ErrorCode.InvalidRequest, `cannot list market ${spec.id}: ${why}`, 'perps');
    if (sender !== GOV_ADDRESS) {
      throw new ChainError(
        ErrorCode.Unauthorized,
        `only the gov module account ${GOV_ADDRESS} may list a market, got ${sender}`,
        'perps',
      );
    }
    const { store } = ctx;
    if (this.keeper.market(store, spec.id) !== undefined) throw refuse('the id is already listed');
    if (this.keeper.prices.price(store, spec.oracleMarket) === undefined) {
      throw refuse(`the oracle has no price for market ${spec.oracleMarket}`);
    }
    if (this.keeper.vaults.vault(store, spec.vault) !== undefined) {
      throw refuse(`vault ${spec.vault} already exists; a listed market gets a new vault`);
    }
    this.keeper.vaults.createVault(ctx, spec.vault);
    this.keeper.listMarket(ctx, spec);
  }

  readonly queries = [
    defineQuery({
      path: 'perps/markets',
      summary:
        'Every market with its listing, mark, open interest, pool balance and current margin fractions',
      schema: z.strictObject({}),
      handle: (store) =>
        this.keeper.markets(store).map((spec) => ({
          ...marketToJson(spec),
          pool: this.keeper.poolOf(spec.id),
          poolBalance: this.keeper.bank.balance(store, this.keeper.poolOf(spec.id), PERPS_DENOM),
          mark: this.keeper.mark(store, spec) ?? null,
          longOi: this.keeper.longOi(store, spec.id),
          openInterest: this.keeper.openInterest(store, spec),
          ...fractionsToJson(this.keeper.marginFractions(store, spec)),
        })),
    }),
    defineQuery({
      path: 'perps/book',
      summary: "A market's aggregated book (levels per side, best first)",
      schema: z.strictObject({
        market: marketIdSchema,
        levels: z.number().int().min(1).optional(),
      }),
      handle: (store, a) => {
        const spec = this.keeper.requireMarket(store, a.market);
        const max = this.keeper.params(store).maxBookLevels;
        const depth = this.keeper.book(store, spec).depth(Math.min(a.levels ?? 20, max));
        return depth as unknown as Value;
      },
    }),
    defineQuery({
      path: 'perps/positions',
      summary: "An owner's open positions in every market, with mark and unrealized PnL",
      schema: z.strictObject({ owner: addressSchema }),
      handle: (store, a) => {
        const out: Value[] = [];
        for (const spec of this.keeper.markets(store)) {
          const p = this.keeper.position(store, spec.id, a.owner);
          if (p.size === 0n) continue;
          const mark = this.keeper.mark(store, spec);
          out.push({
            market: spec.id,
            size: p.size,
            entryPrice: p.entryPrice,
            mark: mark ?? null,
            unrealizedPnl: mark === undefined ? null : unrealizedPnl(p.size, p.entryPrice, mark),
          });
        }
        return out;
      },
    }),
    defineQuery({
      path: 'perps/subaccount',
      summary: 'Collateral, position, equity at mark and margin requirements of a subaccount',
      schema: z.strictObject({ owner: addressSchema, market: marketIdSchema }),
      handle: (store, a) => {
        const v = this.keeper.subaccount(store, a.market, a.owner);
        return { ...v, mark: v.mark ?? null };
      },
    }),
    defineQuery({
      path: 'perps/orders',
      summary: "An owner's resting orders in every market, oldest first per market",
      schema: z.strictObject({ owner: addressSchema }),
      handle: (store, a) => {
        const out: Value[] = [];
        for (const spec of this.keeper.markets(store)) {
          for (const o of this.keeper.storedOrders(store, spec.id)) {
            if (o.owner === a.owner) out.push({ market: spec.id, ...(orderToValue(o) as object) });
          }
        }
        return out;
      },
    }),
    defineQuery({
      path: 'perps/params',
      summary: 'The perps module parameters',
      schema: z.strictObject({}),
      handle: (store) => paramsToJson(this.keeper.params(store)),
    }),
  ];

  readonly invariants: Invariant[] = [
    {
      name: 'perps/pool-accounting',
      check: (store) => {
        for (const spec of this.keeper.markets(store)) {
          const pool = this.keeper.bank.balance(store, this.keeper.poolOf(spec.id), PERPS_DENOM);
          let quotes = 0n;
          for (const c of this.keeper.collaterals(store, spec.id))
            quotes += c.collateral * NOTIONAL_SCALE;
          for (const p of this.keeper.positions(store, spec.id)) quotes -= p.size * p.entryPrice;
          const dust = this.keeper.dust(store, spec.id);
          if (dust < 0n) return `${spec.id}: rounding residue ${dust} < 0 (money created)`;
          if (quotes + dust !== pool * NOTIONAL_SCALE) {
            return `${spec.id}: Σ collateral·10^30 − Σ size·entry + dust = ${quotes + dust} ≠ pool ${pool}·10^30`;
          }
        }
        return undefined;
      },
    },
    {
      name: 'perps/zero-sum-positions',
      check: (store) => {
        for (const spec of this.keeper.markets(store)) {
          let sum = 0n;
          let longs = 0n;
          for (const p of this.keeper.positions(store, spec.id)) {
            if (p.size === 0n) return `${spec.id}: a flat position of ${p.owner} is stored`;
            if (p.size % spec.quantumSize !== 0n)
              return `${spec.id}: ${p.owner} size off the quantum grid`;
            sum += p.size;
            if (p.size > 0n) longs += p.size;
          }
          if (sum !== 0n) return `${spec.id}: Σ position sizes = ${sum}, expected 0`;
          const oi = this.keeper.longOi(store, spec.id);
          if (longs !== oi) return `${spec.id}: Σ longs ${longs} ≠ recorded open interest ${oi}`;
        }
        return undefined;
      },
    },
    {
      name: 'perps/book-consistent',
      check: (store) => {
        for (const spec of this.keeper.markets(store)) {
          try {
            this.keeper.book(store, spec);
          } catch (e) {
            return `${spec.id}: stored orders do not form a book: ${(e as Error).message}`;
          }
        }
        return undefined;
      },
    },
  ];

  defaultGenesis(): PerpsGenesis {
    return { params: MAINNET_PERPS_PARAMS, markets: [] };
  }

  initGenesis(ctx: Context, genesis: PerpsGenesis): void {
    perpsParams.set(ctx.store, genesis.params);
    for (const spec of genesis.markets) this.keeper.listMarket(ctx, spec);
  }

  /** Params and listings (open positions, collateral and orders are not exported yet). */
  exportGenesis(store: ReadStore): Value {
    return {
      params: paramsToJson(this.keeper.params(store)),
      markets: this.keeper.markets(store).map(marketToJson),
    };
  }

  endBlock(ctx: Context): undefined {
    this.keeper.expire(ctx);
    this.keeper.funding(ctx);
    this.keeper.liquidate(ctx);
    return undefined;
  }
}

/**
 * The perps keeper and module. Registers the keeper as the vaults' locked-capital provider
 * (`OI · lockedOiRatio` of the vault's markets) and equity adjuster (the vault's backstop
 * positions marked at the oracle): it is the only product module for now; a second product
 * must share one dispatching provider for each.
 */
export function createPerps(
  bank: BankKeeper,
  vaults: VaultsKeeperApi,
  prices: PriceSource,
  pauses: PauseSource,
  securityCap?: SecurityCapSource,
): { keeper: PerpsKeeper; module: PerpsModule } {
  const keeper = new PerpsKeeper(bank, vaults, prices, pauses, securityCap);
  vaults.setLockedProvider((store, id) => keeper.lockedFor(store, id));
  vaults.setEquityAdjuster((store, id) => keeper.backstopEquity(store, id));
  return { keeper, module: new PerpsModule(keeper) };
}
