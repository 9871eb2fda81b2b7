import { type Cell, kv, table } from '../format.ts';
import { usd } from './perps-format.ts';

/** Text for `query risk summary`: the headline figures, then one row per market. */

type Json = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null ? '—' : String(v));
const pct = (v: unknown): string =>
  typeof v === 'string' && /^[0-9.]+$/.test(v) ? `${(Number(v) * 100).toFixed(2)}%` : str(v);
const num = (v: unknown, digits = 2): string =>
  typeof v === 'string' && /^[0-9.]+$/.test(v) ? Number(v).toFixed(digits) : str(v);

export function riskSummaryText(s: Json): string {
  const options = s.options as { pfc?: unknown } | undefined;
  const head = kv([
    ['cost of corruption (usd)', usd(s.coc)],
    ['profit from corruption (usd)', usd(s.pfcTotal)],
    ['  of it, options (usd)', options?.pfc === undefined ? undefined : usd(options.pfc)],
    ['ratio coc / pfc', num(s.ratio)],
    ['budget coc / (1 + γ) (usd)', usd(s.budget)],
    ['secure', s.secure === true ? 'yes' : 'NO: profit from corruption exceeds the budget'],
    ['bonded stake (ubwk)', str(s.bondedStake)],
    ['bwk price (usd)', num(s.bwkPrice, 4)],
    ['largest manipulable move', pct(s.maxMove)],
  ]);
  const markets = (s.markets as Json[] | undefined) ?? [];
  if (markets.length === 0) return `${head}\n\nno markets listed`;
  const rows = markets.map((m): Cell[] => {
    const cap = (m.cap ?? {}) as Json;
    const margin = (m.margin ?? {}) as Json;
    return [
      str(m.market),
      usd(m.oi),
      usd(m.pfc),
      usd(cap.vault),
      usd(cap.security),
      usd(cap.effective),
      pct(margin.imf),
      pct(margin.mmf),
      pct(margin.sigmaAnnual),
      m.stakeToOi === null ? '—' : num(m.stakeToOi),
    ];
  });
  return `${head}\n\n${table(
    [
      'market',
      'oi (usd)',
      'pfc (usd)',
      'vault cap',
      'security cap',
      'cap',
      'imf',
      'mmf',
      'vol (annual)',
      'stake / oi',
    ],
    rows,
  )}`;
}
