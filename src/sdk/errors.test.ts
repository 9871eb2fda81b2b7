import { describe, expect, it } from 'vitest';
import { OptionsError } from '../core/modules/options/errors.ts';
import { PerpsError } from '../core/modules/perps/errors.ts';
import { RiskError } from '../core/modules/risk/errors.ts';
import { codeName, codespaceOf } from './errors.ts';

describe('chain code names', () => {
  it('names the derivative modules’ codes and their codespaces', () => {
    expect(codeName(PerpsError.OiCapExceeded)).toBe('OiCapExceeded');
    expect(codespaceOf(PerpsError.OiCapExceeded)).toBe('perps');
    const [riskName, riskCode] = Object.entries(RiskError)[0]!;
    expect(codeName(riskCode)).toBe(riskName);
    expect(codespaceOf(riskCode)).toBe('risk');
    const [optName, optCode] = Object.entries(OptionsError)[0]!;
    expect(codeName(optCode)).toBe(optName);
    expect(codespaceOf(optCode)).toBe('options');
  });

  it('every module code has exactly one name', () => {
    for (const codes of [PerpsError, RiskError, OptionsError]) {
      for (const [name, code] of Object.entries(codes)) expect(codeName(code)).toBe(name);
    }
  });

  it('an unknown code reads as code<N>', () => {
    expect(codeName(1099)).toBe('code1099');
    expect(codespaceOf(5000)).toBe('bulwark');
  });
});
