/**
 * State layout of the oracle module. Every key starts with `oracle/`. Heights in keys are
 * zero-padded to 16 digits so that the store's sorted iteration is height order.
 */
const pad = (n: number) => String(n).padStart(16, '0');

export const PARAMS_KEY = 'oracle/params';

/** The chain's initial height (the first block), written at genesis: the entry is due after it. */
export const INITIAL_HEIGHT_KEY = 'oracle/initial-height';

/**
 * One record per market that has been published at least once (`MarketState`): price, height,
 * volatility, circuit-breaker window and counter. One write per market per block.
 */
export const marketKey = (market: string) => `oracle/market/${market}`;
export const MARKET_PREFIX = 'oracle/market/';

/**
 * Deviation record per validator (`MissRecord`), by consensus address. Written only on a miss
 * (and when the window rolls over at a miss), so an honest validator writes nothing.
 */
export const missKey = (consAddress: string) => `oracle/miss/${consAddress}`;
export const MISS_PREFIX = 'oracle/miss/';

/**
 * The reports an applied entry carried, all markets of one height in one value
 * (`StoredReports`), kept for `reportsKept` heights.
 */
export const reportsKey = (height: number) => `oracle/reports/${pad(height)}`;
export const REPORTS_PREFIX = 'oracle/reports/';
export const heightOfReportsKey = (key: string) => Number(key.slice(REPORTS_PREFIX.length));

/** Height of the block being (last) executed, for queries that answer "stale at this height". */
export const HEIGHT_KEY = 'oracle/height';
