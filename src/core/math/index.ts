/**
 * Public API of the deterministic fixed-point math library (18 decimals over bigint).
 * Internal high-precision kernels (`kernel.ts`) are deliberately not re-exported.
 */
export {
  abs,
  clamp,
  DECIMALS,
  type Dec,
  div,
  divRound,
  fromDecimalString,
  fromInt,
  fromRatio,
  max,
  min,
  mul,
  mulDiv,
  ONE,
  POW_MAX,
  pow,
  Rounding,
  toDecimalString,
} from './fixed.ts';
export { NORM_CDF_CUTOFF, NORM_PDF_CUTOFF, normCdf, normPdf } from './normal.ts';
export {
  EXP_MAX_INPUT,
  EXP_UNDERFLOW_INPUT,
  exp,
  isqrt,
  ln,
  sqrt,
} from './transcendental.ts';
