import { readFile, writeFile } from 'node:fs/promises';
import { encodeTx, type Msg, signTx } from '../../src/core/tx/tx.ts';
import { genesisPath, keysDir, type NodeConfigInput } from '../../src/node/config.ts';
import { Keystore, type UnlockedKey } from '../../src/node/keystore.ts';
import { BulwarkNode } from '../../src/node/node.ts';
import { tempHome } from '../helpers/tmp-home.ts';

/**
 * A devnet node in process for whole-chain tests: real solo consensus, real signatures, the
 * LevelDB store, invariants checked after every block, and a clock that advances one
 * second per block so time-based rules (jail, unbonding) are reproducible.
 */
export async function posNode(opts: {
  config?: Partial<NodeConfigInput>;
  genesis?: (g: { app: Record<string, Record<string, unknown>> }) => void;
}) {
  const { home, cleanup } = await tempHome();
  const path = genesisPath(home);
  const genesis = JSON.parse(await readFile(path, 'utf8'));
  opts.genesis?.(genesis);
  await writeFile(path, JSON.stringify(genesis));
  let clock = Date.parse(genesis.genesisTime);
  const node = await BulwarkNode.open({
    home,
    now: () => (clock += 1000),
    config: {
      logLevel: 'silent',
      verifyWorkers: 0,
      syncWrites: false,
      assertInvariants: true,
      ...opts.config,
    },
  });
  const keys = new Keystore(keysDir(home));
  const nonces = new Map<string, number>();
  const key = (name: string) => keys.unlock(name);
  /** Signs msgs with the key's next nonce (tracked here). */
  const tx = (signer: UnlockedKey, msgs: Msg[]) => {
    const nonce = nonces.get(signer.address) ?? 0;
    nonces.set(signer.address, nonce + 1);
    return encodeTx(
      signTx(
        {
          chainId: node.chainId,
          signer: signer.pubKeyBytes,
          nonce,
          fee: { denom: 'ubwk', amount: 1000n },
          msgs,
        },
        signer.seed,
      ),
    );
  };
  const q = async <T>(path: string, args: unknown = {}): Promise<T> => {
    const r = await node.query(path, args);
    if (r.code !== 0) throw new Error(`query ${path}: ${r.log}`);
    return r.value as T;
  };
  /** Produces blocks until (and including) `height`. */
  const until = async (height: number, txs: Map<number, Uint8Array[]> = new Map()) => {
    while (node.app.height < height) {
      const ev = await node.produceBlock(txs.get(node.app.height + 1) ?? []);
      for (const r of ev.results.txResults) {
        if (r.code !== 0)
          throw new Error(`tx failed at height ${ev.block.header.height}: ${r.log}`);
      }
    }
  };
  /** After a refused tx: take the account's next nonce from the chain again. */
  const resync = async (signer: UnlockedKey) => {
    const r = await node.query('auth/account', { address: signer.address });
    nonces.set(signer.address, (r.value as { nonce: number }).nonce);
  };
  return {
    node,
    key,
    tx,
    resync,
    q,
    until,
    cleanup: async () => {
      await node.stop();
      await cleanup();
    },
  };
}

export interface ValidatorView {
  operator: string;
  consAddress: string;
  moniker: string;
  tokens: bigint;
  jailed: boolean;
  status: string;
}
