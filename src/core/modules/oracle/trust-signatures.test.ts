import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, type OracleEntry } from './entry.ts';
import { OracleKeeper } from './keeper.ts';
import { CHAIN_ID, OracleChain, px } from './testing.ts';

// The simulator's switch (AppOptions.trustSignatures → createOracle): a trusting keeper
// accepts vote extensions whatever their signature; the default keeper refuses them.
const observe = () => ({ 'BTC-USD': px('60000'), 'ETH-USD': px('3000'), 'BWK-USD': px('1.5') });

function setup() {
  const chain = new OracleChain({
    validators: Array.from({ length: 4 }, (_, i) => ({ name: `v${i}`, power: 10n })),
  });
  chain.run(3, observe);
  const trusting = new OracleKeeper(chain.oracle.staking, chain.oracle.slashing, true);
  const unsigned = chain.extensions.map((x) => ({ ...x, extensionSignature: new Uint8Array(64) }));
  return { chain, trusting, unsigned };
}

describe('oracle: trustSignatures', () => {
  it('prepareEntry keeps unsigned extensions only when trusting', () => {
    const { chain, trusting, unsigned } = setup();
    const h = chain.height + 1;
    expect(chain.oracle.prepareEntry(chain.store, h, CHAIN_ID, unsigned)).toBeDefined();
    const refused = decodeEntry(chain.oracle.prepareEntry(chain.store, h, CHAIN_ID, unsigned)!);
    expect((refused as OracleEntry).votes).toHaveLength(0);
    const trusted = decodeEntry(trusting.prepareEntry(chain.store, h, CHAIN_ID, unsigned)!);
    expect((trusted as OracleEntry).votes).toHaveLength(4);
  });

  it('checkProposal accepts an unsigned entry only when trusting; everything else is still checked', () => {
    const { chain, trusting, unsigned } = setup();
    const h = chain.height + 1;
    const entry = encodeEntry(
      decodeEntry(trusting.prepareEntry(chain.store, h, CHAIN_ID, unsigned)!) as OracleEntry,
    );
    expect(chain.oracle.checkProposal(chain.store, h, CHAIN_ID, [entry])).toMatch(
      /bad extension signature/,
    );
    expect(trusting.checkProposal(chain.store, h, CHAIN_ID, [entry])).toBeUndefined();
    const e = decodeEntry(entry) as OracleEntry;
    const lying = encodeEntry({ ...e, prices: { ...e.prices, 'BTC-USD': px('1') } });
    expect(trusting.checkProposal(chain.store, h, CHAIN_ID, [lying])).toMatch(/aggregate/);
  });
});
