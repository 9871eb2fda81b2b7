import type { BulwarkClient, SendTxOptions, SendTxResult } from './client.ts';
import { requireMarket, type UusdAmount } from './msgs/perps.ts';
import {
  vaultCancelWithdrawMsg,
  vaultDepositMsg,
  vaultRequestWithdrawMsg,
  vaultWithdrawMsg,
} from './msgs/vaults.ts';
import type { VaultSharesView, VaultView } from './perps-types.ts';
import { requireAddress, type Signer } from './tx.ts';

/**
 * Markets' staking vaults through a client (`client.vault`): queries and txs.
 *
 * @example
 * const { sharePrice, free } = await client.vault.info('BTC-USD');
 * await client.vault.deposit(alice, 'BTC-USD', '5000000000uusd');
 */
export class VaultApi {
  constructor(private readonly client: BulwarkClient) {}

  /**
   * Every vault.
   *
   * @example
   * const vaults = await client.vault.list();
   */
  async list(height?: number): Promise<VaultView[]> {
    return this.client.queryValue('vaults/list', {}, height);
  }

  /**
   * A vault's equity, cash, locked and free capital, shares and share price.
   *
   * @example
   * const v = await client.vault.info('BTC-USD');
   */
  async info(vault: string, height?: number): Promise<VaultView> {
    return this.client.queryValue('vaults/info', { vault: requireMarket(vault, 'vault') }, height);
  }

  /**
   * An owner's shares in a vault, their value and pending withdrawal requests.
   *
   * @example
   * const { shares, pending } = await client.vault.shares('BTC-USD', 'bwk1…');
   */
  async shares(vault: string, owner: string, height?: number): Promise<VaultSharesView> {
    const args = { vault: requireMarket(vault, 'vault'), owner: requireAddress(owner, 'owner') };
    return this.client.queryValue('vaults/shares', args, height);
  }

  /**
   * Deposits uusd for shares at the vault's current equity per share.
   *
   * @example
   * await client.vault.deposit(alice, 'BTC-USD', '5000000000uusd');
   */
  async deposit(
    signer: Signer,
    vault: string,
    amount: UusdAmount,
    opts?: SendTxOptions,
  ): Promise<SendTxResult> {
    return this.client.sendTx(signer, [vaultDepositMsg(vault, amount)], opts);
  }

  /**
   * Earmarks shares (raw bigint, or a decimal string such as `'12.5'`) for withdrawal.
   *
   * @example
   * await client.vault.requestWithdraw(alice, 'BTC-USD', '1000');
   */
  async requestWithdraw(
    signer: Signer,
    vault: string,
    shares: bigint | string,
    opts?: SendTxOptions,
  ): Promise<SendTxResult> {
    return this.client.sendTx(signer, [vaultRequestWithdrawMsg(vault, shares)], opts);
  }

  /**
   * Cancels one pending request by number, or all of them.
   *
   * @example
   * await client.vault.cancelWithdraw(alice, 'BTC-USD');
   */
  async cancelWithdraw(
    signer: Signer,
    vault: string,
    request?: number,
    opts?: SendTxOptions,
  ): Promise<SendTxResult> {
    return this.client.sendTx(signer, [vaultCancelWithdrawMsg(vault, request)], opts);
  }

  /**
   * Withdraws every request whose cooldown is over, at the current share price.
   *
   * @example
   * await client.vault.withdraw(alice, 'BTC-USD');
   */
  async withdraw(signer: Signer, vault: string, opts?: SendTxOptions): Promise<SendTxResult> {
    return this.client.sendTx(signer, [vaultWithdrawMsg(vault)], opts);
  }
}
