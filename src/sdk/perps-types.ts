/**
 * The JSON of the perps, vaults and risk queries and of the perps RPC methods and
 * notifications (docs/modules/perps.md, vaults.md, docs/rpc.md). Amounts (uusd), shares and
 * raw 18-decimal quantities are decimal strings; fractions and prices are decimal strings
 * (`"0.05"`, `"60000.5"`); ticks, quantums of an order and heights are numbers.
 */

/** `perps/markets`: a listing with its live figures. */
export interface MarketView {
  id: string;
  oracleMarket: string;
  vault: string;
  /** USD ×1e18 per tick (raw 18-decimal, string). */
  tickSize: string;
  /** Base units ×1e18 per quantum (raw 18-decimal, string). */
  quantumSize: string;
  baseImf: string;
  mmfRatio: string;
  makerFeeRate: string;
  takerFeeRate: string;
  lockedOiRatio: string;
  maxOpenOrdersPerOwner: number;
  maxPriceTicks: number;
  maxSizeQuantums: number;
  fundingIntervalBlocks: number;
  /** uusd */
  impactNotional: string;
  /** The market's collateral pool account and its uusd balance. */
  pool: string;
  poolBalance: string;
  /** Mark price (USD ×1e18, string), null without an oracle price. */
  mark: string | null;
  /** Long open interest (base ×1e18). */
  longOi: string;
  /** Open interest in uusd at the mark. */
  openInterest: string;
}

/** One aggregated price level. */
export interface BookLevel {
  priceTicks: number;
  /** Total resting size at the level (string: it may exceed 2^53). */
  sizeQuantums: string;
  orders: number;
}

/** `perps/book`: best first on each side. */
export interface BookView {
  bids: BookLevel[];
  asks: BookLevel[];
}

/** `perps/positions`: one open position (size in base ×1e18, negative for a short). */
export interface PositionView {
  market: string;
  size: string;
  /** USD ×1e18 */
  entryPrice: string;
  mark: string | null;
  /** uusd at the mark; null without a mark. */
  unrealizedPnl: string | null;
}

/** `perps/subaccount`: collateral and margin of one (owner, market), uusd. */
export interface SubaccountView {
  market: string;
  owner: string;
  collateral: string;
  size: string;
  entryPrice: string;
  mark: string | null;
  equity: string;
  initialMargin: string;
  maintenanceMargin: string;
  freeCollateral: string;
}

/** `perps/orders`: a resting order. */
export interface OrderView {
  market: string;
  /** The chain's order id (16 digits). */
  id: string;
  owner: string;
  clientId: number;
  side: 'buy' | 'sell';
  priceTicks: number;
  /** What is left to fill. */
  sizeQuantums: number;
  type: 'limit' | 'market';
  timeInForce: 'gtc' | 'ioc' | 'post-only';
  reduceOnly: boolean;
  goodTilBlock?: number;
  seq: number;
  [field: string]: unknown;
}

/** A perps fill (from a `perps_fill` event). */
export interface FillView {
  height: number;
  /** The tx that made it; null for a fill of the block's end (a liquidation). */
  txHash: string | null;
  market: string;
  maker: string;
  taker: string;
  makerOrder: string;
  takerOrder: string;
  takerSide: 'buy' | 'sell';
  priceTicks: number;
  sizeQuantums: number;
  /** uusd */
  takerFee: string;
  makerFee: string;
}

/** `perps_fills`: the fills read from blocks `fromHeight`…`toHeight`, oldest first. */
export interface FillsPage {
  fromHeight: number;
  toHeight: number;
  fills: FillView[];
}

export interface FillsQuery {
  market?: string;
  /** Fills where this address is the maker or the taker. */
  account?: string;
  fromHeight?: number;
  toHeight?: number;
  /** 1–1000 (default 100): the read stops after the block that reaches it. */
  limit?: number;
}

/** One funding settlement. */
export interface FundingSettlement {
  height: number;
  /** Per interval; positive: longs pay shorts. */
  rate: string;
  samples: number;
  /** Oracle price used (USD). */
  price: string;
  /** uusd moved from payers to receivers. */
  paid: string;
}

/** `perps_funding`. */
export interface FundingView {
  market: string;
  /** The latest height when asked. */
  height: number;
  fundingIntervalBlocks: number;
  nextSettlementHeight: number;
  /** Newest first. */
  settlements: FundingSettlement[];
}

/** `vaults/info` and `vaults/list` (uusd amounts, shares raw 18-decimal). */
export interface VaultView {
  id: string;
  account: string;
  equity: string;
  cash: string;
  adjustment: string;
  locked: string;
  free: string;
  totalShares: string;
  /** uusd per share, decimal. */
  sharePrice: string;
  insolvent: boolean;
  createdHeight: number;
  totals: Record<string, string>;
}

/** `vaults/shares`. */
export interface VaultSharesView {
  vault: string;
  owner: string;
  shares: string;
  value: string;
  pending: {
    request: number;
    shares: string;
    value: string;
    requestedMs: number;
    unlockMs: number;
    expiresMs: number;
    status?: 'cooling' | 'ready' | 'expired';
  }[];
}

/** `risk/market`: amounts in uusd, fractions as decimals. */
export interface MarketRiskView {
  market: string;
  oi: string;
  /** Largest manipulable price move (fraction). */
  maxMove: string;
  /** Profit from corruption. */
  pfc: string;
  cap: { vault: string; security: string; effective: string };
  margin: { imf: string; mmf: string; sigmaAnnual: string };
  stakeToOi: string | null;
}

/** `risk/summary`. */
export interface RiskSummaryView {
  /** Cost of corruption. */
  coc: string;
  pfcTotal: string;
  ratio: string | null;
  budget: string;
  secure: boolean;
  bondedStake: string;
  bwkPrice: string | null;
  maxMove: string;
  markets: MarketRiskView[];
}

/** `fills` subscription: the block's matching fills. */
export interface FillsNotification {
  height: number;
  fills: FillView[];
}

/** `book` subscription: the market's best levels after a block that touched its book. */
export interface BookNotification extends BookView {
  height: number;
  market: string;
}
