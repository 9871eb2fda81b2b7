import type { App } from '../../core/app/app.ts';

/**
 * What the simulator samples from the chain, through the same queries the RPC answers:
 * prices (true and oracle), open interest, vault equity and bad debt per vault, cost and
 * profit of corruption, the bonded and burned (slashed) stake, the staking APR and the
 * attacker's account value. Exact values stay bigint here; `metrics.csv` writes them as
 * decimal strings in display units (USD, BWK), the report gets floats.
 */
export interface Sample {
  block: number;
  tSeconds: number;
  truePrice: Record<string, number>;
  /** Oracle price (18 decimals; undefined before the first publication). */
  oraclePrice: Record<string, bigint | undefined>;
  /** Open interest per market (uusd notional). */
  oi: Record<string, bigint>;
  vaultEquity: Record<string, bigint>;
  /** Losses the vault could not cover (uusd), cumulative. */
  badDebt: Record<string, bigint>;
  coc: bigint;
  pfc: bigint;
  /** CoC / PfC (18 decimals), undefined when PfC is 0. */
  ratio: bigint | undefined;
  /** γ of the risk params (18 decimals): secure means CoC ≥ (1 + γ)·PfC. */
  gamma: bigint;
  bondedStake: bigint;
  /** ubwk burned so far (slashing is the chain's only burn of stake). */
  burned: bigint;
  /** Nominal staking APR (18 decimals). */
  apr: bigint;
  /** Attacker accounts' value: uusd in the bank plus equity in every market (uusd). */
  attackerValue: bigint;
}

const E18 = 10n ** 18n;

function dec18(s: unknown): bigint {
  if (typeof s === 'bigint') return s;
  if (typeof s !== 'string') return 0n;
  const neg = s.startsWith('-');
  const [i = '0', f = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(i) * E18 + BigInt((f + '0'.repeat(18)).slice(0, 18));
  return neg ? -v : v;
}

function big(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return 0n;
}

export class Sampler {
  constructor(
    private readonly app: App,
    readonly markets: string[],
    readonly vaults: string[],
    readonly attackerAccounts: string[],
  ) {}

  private q<T>(path: string, args: Record<string, unknown> = {}): T {
    const r = this.app.query(path, args);
    if (r.code !== 0) throw new Error(`query ${path} failed: ${r.log}`);
    return r.value as T;
  }

  /** The attacker accounts' value in uusd (bank uusd + equity in every market). */
  accountValue(addresses: string[]): bigint {
    let v = 0n;
    for (const owner of addresses) {
      v += big(
        this.q<{ amount: unknown }>('bank/balance', { address: owner, denom: 'uusd' }).amount,
      );
      for (const market of this.markets) {
        v += big(this.q<{ equity: unknown }>('perps/subaccount', { owner, market }).equity);
      }
    }
    return v;
  }

  sample(block: number, tSeconds: number, truePrice: Record<string, number>): Sample {
    const oracle = this.q<{ market: string; price: unknown }[]>('oracle/prices');
    const oraclePrice: Record<string, bigint | undefined> = {};
    for (const m of this.markets) {
      const p = oracle.find((o) => o.market === m);
      const v = p === undefined ? 0n : dec18(p.price);
      oraclePrice[m] = v === 0n ? undefined : v;
    }
    const risk = this.q<{
      coc: unknown;
      pfcTotal: unknown;
      ratio: string | null;
      bondedStake: unknown;
      markets: { market: string; oi: unknown }[];
    }>('risk/summary');
    const riskParams = this.q<{ gamma: string }>('risk/params');
    const oi: Record<string, bigint> = {};
    for (const m of this.markets) oi[m] = big(risk.markets.find((x) => x.market === m)?.oi);
    const vaults =
      this.q<{ id: string; equity: unknown; totals: { lossUncovered: unknown } }[]>('vaults/list');
    const vaultEquity: Record<string, bigint> = {};
    const badDebt: Record<string, bigint> = {};
    for (const id of this.vaults) {
      const v = vaults.find((x) => x.id === id);
      vaultEquity[id] = big(v?.equity);
      badDebt[id] = big(v?.totals.lossUncovered);
    }
    const supply = this.q<{ denom: string; burned: unknown }[]>('bank/supply');
    const apr = this.q<{ nominalApr: string }>('distribution/apr');
    return {
      block,
      tSeconds,
      truePrice: { ...truePrice },
      oraclePrice,
      oi,
      vaultEquity,
      badDebt,
      coc: big(risk.coc),
      pfc: big(risk.pfcTotal),
      ratio: risk.ratio === null ? undefined : dec18(risk.ratio),
      gamma: dec18(riskParams.gamma),
      bondedStake: big(risk.bondedStake),
      burned: big(supply.find((s) => s.denom === 'ubwk')?.burned),
      apr: dec18(apr.nominalApr),
      attackerValue:
        this.attackerAccounts.length === 0 ? 0n : this.accountValue(this.attackerAccounts),
    };
  }
}

/** CoC below (1 + γ)·PfC: the security budget does not cover the profit an attack could take. */
export function underSecured(s: Sample): boolean {
  return s.coc * E18 < (E18 + s.gamma) * s.pfc;
}
