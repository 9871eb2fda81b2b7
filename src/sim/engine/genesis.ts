import type { GenesisInput } from '../../core/app/genesis.ts';
import { toHex } from '../../core/crypto/hash.ts';
import { ONE, toDecimalString } from '../../core/math/index.ts';
import { DEVNET_MARKETS, marketToJson } from '../../core/modules/perps/index.ts';
import {
  DEVNET_RISK_PARAMS,
  MAINNET_RISK_PARAMS,
  paramsToJson as riskParamsJson,
} from '../../core/modules/risk/params.ts';
import { type Preset, presetParams } from '../../node/presets.ts';
import { simKey } from './keys.ts';
import { priceToUnits, toMicro } from './units.ts';

/**
 * The chain a scenario starts from: the node's preset params (devnet or mainnet-like) with
 * the scenario's overrides on top, its validators and stakes, markets (each with an oracle
 * market, a perps listing and a vault of the same id) and vault deposits, and every actor
 * funded. Keys come from names (`keys.ts`), so the genesis is the same on every worker.
 */
export interface ValidatorSpec {
  name: string;
  /** Self-bond in BWK. */
  stake: number;
}

export interface MarketGenesisSpec {
  id: string;
  /** Starting price in USD (also the price process' start unless it says otherwise). */
  price: number;
  /** Fields of the perps listing to override (JSON form, e.g. `{ baseImf: "0.1" }`). */
  listing?: Record<string, unknown>;
}

export interface VaultSpec {
  id: string;
  /** Genesis deposit in USD. */
  deposit: number;
}

export interface GenesisSpec {
  preset: Preset;
  chainId: string;
  validators: ValidatorSpec[];
  markets: MarketGenesisSpec[];
  vaults: VaultSpec[];
  /** Per module, params to override (JSON form as in a genesis file). */
  params: Record<string, Record<string, unknown>>;
  /** Price of BWK in USD (the oracle market `BWK-USD` that values the stake). */
  bwkPrice: number;
}

/** An account to fund at genesis: address and base units per denom. */
export interface Funding {
  address: string;
  coins: Record<string, bigint>;
}

export const BWK_MARKET = 'BWK-USD';
/** What every validator operator holds beyond its bond (fees, unjail). */
const OPERATOR_SPARE = 1_000_000_000n;

export const validatorKey = (name: string) => simKey(`validator/${name}`);
export const operatorKey = (name: string) => simKey(`operator/${name}`);
/** The account that makes the vaults' genesis deposits. */
export const treasuryKey = () => simKey('treasury');

/** The params every module starts with: the preset's, then the scenario's overrides. */
export function baseParams(preset: Preset): Record<string, Record<string, unknown>> {
  const p = presetParams(preset) as Record<string, Record<string, unknown>>;
  const risk = preset === 'devnet' ? DEVNET_RISK_PARAMS : MAINNET_RISK_PARAMS;
  return { ...p, risk: riskParamsJson(risk) as unknown as Record<string, unknown> };
}

/** Tick and quantum for a new market from its price: ~10⁵ ticks per price, ~$1–10 a quantum. */
function listingFor(m: MarketGenesisSpec): Record<string, unknown> {
  const known = DEVNET_MARKETS.find((d) => d.id === m.id);
  const template = marketToJson(known ?? (DEVNET_MARKETS[0] as (typeof DEVNET_MARKETS)[number]));
  const base: Record<string, unknown> = { ...template, id: m.id, oracleMarket: m.id, vault: m.id };
  if (known === undefined) {
    const mag = Math.floor(Math.log10(m.price));
    base.tickSize = String(pow10(mag - 5));
    base.quantumSize = String(pow10(-mag));
    base.maxPriceTicks = 100_000_000;
    base.maxSizeQuantums = 1_000_000_000;
  }
  return { ...base, ...(m.listing ?? {}) };
}

/** 10^k in 18-decimal units (k ≥ −18). */
function pow10(k: number): bigint {
  return k >= 0 ? ONE * 10n ** BigInt(k) : ONE / 10n ** BigInt(-k);
}

function oracleMarketFor(id: string, price: number, vol: string): Record<string, unknown> {
  // Bounds wide enough for any path a scenario draws (a crash, a 1000× pump).
  const p = priceToUnits(price);
  const min = p / 1_000_000n;
  return {
    id,
    minPrice: toDecimalString(min > 0n ? min : 1n),
    maxPrice: toDecimalString(p * 1_000_000n),
    initialVolatility: vol,
  };
}

/** Deep-merges `over` into `base` (objects merge; arrays and scalars replace). */
export function mergeParams(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      isPlain(b) && isPlain(v)
        ? mergeParams(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

const isPlain = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

export function buildGenesis(spec: GenesisSpec, actors: Funding[]): GenesisInput {
  const params = baseParams(spec.preset);
  for (const [mod, over] of Object.entries(spec.params)) {
    params[mod] = mergeParams(params[mod] ?? {}, over);
  }
  const oracle = params.oracle as Record<string, unknown>;
  if (spec.params.oracle?.markets === undefined) {
    oracle.markets = [
      oracleMarketFor(BWK_MARKET, spec.bwkPrice, '1'),
      ...spec.markets.map((m) => oracleMarketFor(m.id, m.price, '0.6')),
    ];
  }
  const balances = new Map<string, Map<string, bigint>>();
  const fund = (address: string, denom: string, amount: bigint) => {
    const coins = balances.get(address) ?? new Map<string, bigint>();
    coins.set(denom, (coins.get(denom) ?? 0n) + amount);
    balances.set(address, coins);
  };
  for (const v of spec.validators) {
    fund(operatorKey(v.name).address, 'ubwk', toMicro(v.stake) + OPERATOR_SPARE);
  }
  const treasury = treasuryKey().address;
  for (const v of spec.vaults) fund(treasury, 'uusd', toMicro(v.deposit));
  for (const a of actors) for (const [d, amt] of Object.entries(a.coins)) fund(a.address, d, amt);

  return {
    chainId: spec.chainId,
    genesisTime: '2026-01-01T00:00:00Z',
    app: {
      bank: {
        balances: [...balances].map(([address, coins]) => ({
          address,
          coins: [...coins]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([denom, amount]) => ({
              denom,
              amount: String(amount),
            })),
        })),
      },
      staking: {
        params: params.staking,
        validators: spec.validators.map((v) => ({
          operator: operatorKey(v.name).address,
          consPubKey: toHex(validatorKey(v.name).pubKey),
          moniker: v.name,
          selfBond: String(toMicro(v.stake)),
          commission: { rate: '0.10', maxRate: '0.20', maxChangeRate: '0.01' },
        })),
      },
      slashing: { params: params.slashing },
      distribution: { params: params.distribution },
      oracle: { params: oracle },
      vaults: {
        params: params.vaults,
        vaults: spec.vaults.map((v) => ({
          id: v.id,
          ...(v.deposit > 0
            ? { seed: { depositor: treasury, amount: String(toMicro(v.deposit)) } }
            : {}),
        })),
      },
      perps: { params: params.perps, markets: spec.markets.map(listingFor) },
      risk: { params: params.risk },
      gov: { params: params.gov },
    },
  };
}
