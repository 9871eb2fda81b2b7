/**
 * State layout of the perps module. Every key starts with `perps/`. Market ids contain no `/`
 * (MARKET_ID_PATTERN) and addresses are bech32, so `<market>/` and `<owner>` segments never
 * overlap. Order ids are the market's placement sequence, zero-padded to 16 digits so that
 * sorted iteration is time priority.
 */
export const PARAMS_KEY = 'perps/params';

/** The market's listing (`MarketSpec`). */
export const marketKey = (market: string) => `perps/market/${market}`;
export const MARKET_PREFIX = 'perps/market/';

/** Collateral (uusd, bigint, may be negative after a realized loss) of one subaccount. */
export const collateralKey = (market: string, owner: string) =>
  `perps/collateral/${market}/${owner}`;
export const collateralPrefix = (market: string) => `perps/collateral/${market}/`;

/** Position `{size, entryPrice}` of one owner in one market; absent when flat. */
export const positionKey = (market: string, owner: string) => `perps/position/${market}/${owner}`;
export const positionPrefix = (market: string) => `perps/position/${market}/`;

/** A resting order (book/serialize.ts `orderToValue`), by id = seq. */
export const padSeq = (seq: number) => String(seq).padStart(16, '0');
export const orderKey = (market: string, id: string) => `perps/order/${market}/${id}`;
export const orderPrefix = (market: string) => `perps/order/${market}/`;

/** Expiry index of resting orders with a goodTilBlock: `<gtb, 16 digits>/<id>` → true. */
export const expiryKey = (market: string, goodTilBlock: number, id: string) =>
  `perps/expiry/${market}/${padSeq(goodTilBlock)}/${id}`;
export const expiryPrefix = (market: string) => `perps/expiry/${market}/`;

/** The last placement sequence of the market's book (−1 before the first). */
export const seqKey = (market: string) => `perps/seq/${market}`;

/** Σ of long sizes (base units ×1e18) in the market = Σ of |short sizes|. */
export const longOiKey = (market: string) => `perps/oi/${market}`;

/**
 * Rounding dust (uusd) kept in the market pool: realized PnL is floored on both sides of a
 * fill, so the pair may sum to −1 uusd; that unit stays in the pool, accounted here.
 */
export const dustKey = (market: string) => `perps/dust/${market}`;

/** Premium samples of the current funding interval: `{sum, count}` (sum of 18-dec premiums). */
export const fundingKey = (market: string) => `perps/funding/${market}`;
