import { App } from '../app/app.ts';
import type { GenesisInput } from '../app/genesis.ts';
import type { FinalizeBlockResponse } from '../app/types.ts';
import { addressBytes, addressOf } from '../crypto/address.ts';
import { sha256, toHex } from '../crypto/hash.ts';
import { publicKeyFromSeed } from '../crypto/keys.ts';
import { type AppConfig, createApp, createKernelModules } from '../index.ts';
import { encodeTx, type Msg, signTx, type TxBody } from '../tx/tx.ts';

/**
 * An in-process chain for tests and the simulator: the app driven block by block with no
 * consensus and no I/O. Keys are derived from names, so runs are reproducible.
 */
export interface TestAccount {
  name: string;
  seed: Uint8Array;
  pubKey: Uint8Array;
  address: string;
}

const utf8 = new TextEncoder();

export function testAccount(name: string): TestAccount {
  const seed = sha256(utf8.encode(`bulwark-test-key/${name}`));
  const pubKey = publicKeyFromSeed(seed);
  return { name, seed, pubKey, address: addressOf(pubKey) };
}

export const TEST_CHAIN_ID = 'bulwark-test';
export const BLOCK_MS = 1000;
export const GENESIS_MS = 1_700_000_000_000;

export function testGenesis(
  accounts: TestAccount[],
  amount = 1_000_000_000n,
  validators = 4,
): GenesisInput {
  return {
    chainId: TEST_CHAIN_ID,
    genesisTime: '2023-11-14T22:13:20Z',
    validators: Array.from({ length: validators }, (_, i) => ({
      name: `val${i}`,
      pubKey: toHex(testAccount(`val${i}`).pubKey),
      power: '10',
    })),
    app: {
      bank: {
        balances: accounts.map((a) => ({
          address: a.address,
          coins: [
            { denom: 'ubwk', amount: String(amount) },
            { denom: 'uusd', amount: String(amount) },
          ],
        })),
      },
    },
  };
}

export class TestChain {
  readonly app: App;
  private readonly nonces = new Map<string, number>();

  /** `kernelOnly`: auth and bank alone (no inflation, no fee distribution). */
  constructor(
    genesis: GenesisInput,
    config: AppConfig & { kernelOnly?: boolean } = { assertInvariants: true },
  ) {
    const { kernelOnly, ...appConfig } = config;
    this.app = kernelOnly
      ? new App({ ...appConfig, modules: createKernelModules() })
      : createApp(appConfig);
    this.app.initChain(genesis);
  }

  get height(): number {
    return this.app.height;
  }

  /** Signs a tx for `from` with its next nonce (tracked here; `nonce` overrides). */
  tx(
    from: TestAccount,
    msgs: Msg[],
    opts: { fee?: bigint; nonce?: number; chainId?: string } = {},
  ): Uint8Array {
    const nonce = opts.nonce ?? this.nonces.get(from.address) ?? 0;
    if (opts.nonce === undefined) this.nonces.set(from.address, nonce + 1);
    const body: TxBody = {
      chainId: opts.chainId ?? this.app.chainId,
      signer: from.pubKey,
      nonce,
      fee: { denom: 'ubwk', amount: opts.fee ?? 1000n },
      msgs,
    };
    return encodeTx(signTx(body, from.seed));
  }

  /** Executes and commits one block of txs. */
  block(txs: Uint8Array[] = []): FinalizeBlockResponse {
    const height = this.app.height + 1;
    const hash = sha256(utf8.encode(`block/${height}`));
    const res = this.app.finalizeBlock({
      block: {
        chainId: this.app.chainId,
        height,
        timeMs: GENESIS_MS + height * BLOCK_MS,
        proposer: this.app.proposerFor(height) ?? toHex(addressBytes(testAccount('val0').pubKey)),
        hash,
      },
      txs,
      lastCommit: { round: 0, votes: [] },
      misbehavior: [],
    });
    this.app.commit();
    return res;
  }

  /** Forgets the locally tracked nonce of an account (after a tx of it was refused). */
  resetNonce(account: TestAccount): void {
    this.nonces.set(
      account.address,
      this.app.query('auth/account', { address: account.address }).value
        ? Number(
            (
              this.app.query('auth/account', { address: account.address }).value as {
                nonce: number;
              }
            ).nonce,
          )
        : 0,
    );
  }
}

export const send = (to: TestAccount | string, amount: bigint, denom = 'ubwk'): Msg => ({
  type: 'bank/send',
  value: { to: typeof to === 'string' ? to : to.address, amount: { denom, amount } },
});
