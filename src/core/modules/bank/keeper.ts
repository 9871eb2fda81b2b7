import type { Context } from '../../app/module.ts';
import { type Coin, MAX_AMOUNT } from '../../coin.ts';
import { ChainError, ErrorCode, ensure } from '../../errors.ts';
import type { ReadStore } from '../../store/store.ts';
import { balanceKey, balancePrefix, burnedKey, feePoolKey, mintedKey } from './keys.ts';
import { bankParams } from './params.ts';

const amountAt = (store: ReadStore, key: string): bigint => (store.get(key) as bigint) ?? 0n;

/**
 * The bank keeper: the only code that touches balances. Other modules move tokens through
 * it (send, mint, burn, fees), so conservation is checked in one place.
 */
export class BankKeeper {
  balance(store: ReadStore, address: string, denom: string): bigint {
    return amountAt(store, balanceKey(address, denom));
  }

  balances(store: ReadStore, address: string): Coin[] {
    const prefix = balancePrefix(address);
    const out: Coin[] = [];
    for (const [key, amount] of store.iterate(prefix)) {
      out.push({ denom: key.slice(prefix.length), amount: amount as bigint });
    }
    return out;
  }

  minted(store: ReadStore, denom: string): bigint {
    return amountAt(store, mintedKey(denom));
  }

  burned(store: ReadStore, denom: string): bigint {
    return amountAt(store, burnedKey(denom));
  }

  feePool(store: ReadStore, denom: string): bigint {
    return amountAt(store, feePoolKey(denom));
  }

  /** Throws UnknownDenom unless the denom is listed in the bank params. */
  requireDenom(store: ReadStore, denom: string): void {
    const known = bankParams.get(store).denoms.some((d) => d.denom === denom);
    ensure(known, ErrorCode.UnknownDenom, () => `unknown denom ${JSON.stringify(denom)}`);
  }

  send(ctx: Context, from: string, to: string, coin: Coin): void {
    this.requireDenom(ctx.store, coin.denom);
    this.subtract(ctx, from, coin);
    this.add(ctx, to, coin);
    ctx.emit('transfer', { sender: from, recipient: to, amount: `${coin.amount}${coin.denom}` });
  }

  /** Creates new tokens (genesis, inflation); raises the recorded supply. */
  mint(ctx: Context, to: string, coin: Coin): void {
    const key = mintedKey(coin.denom);
    const minted = amountAt(ctx.store, key) + coin.amount;
    ensure(minted <= MAX_AMOUNT, ErrorCode.Overflow, `minting would exceed ${MAX_AMOUNT}`);
    ctx.store.set(key, minted);
    this.add(ctx, to, coin);
    ctx.emit('mint', { recipient: to, amount: `${coin.amount}${coin.denom}` });
  }

  /** Destroys tokens held by `from`, recording the burn so conservation still adds up. */
  burn(ctx: Context, from: string, coin: Coin, reason: string): void {
    this.subtract(ctx, from, coin);
    const key = burnedKey(coin.denom);
    ctx.store.set(key, amountAt(ctx.store, key) + coin.amount);
    ctx.emit('burn', { burner: from, amount: `${coin.amount}${coin.denom}`, reason });
  }

  /** Moves a tx fee from the payer into the fee pool. */
  collectFee(ctx: Context, payer: string, coin: Coin): void {
    if (coin.amount === 0n) return;
    this.subtract(ctx, payer, coin);
    const key = feePoolKey(coin.denom);
    ctx.store.set(key, amountAt(ctx.store, key) + coin.amount);
  }

  /** Pays out of the fee pool (distribution). */
  payFromFeePool(ctx: Context, to: string, coin: Coin): void {
    const key = feePoolKey(coin.denom);
    const pool = amountAt(ctx.store, key);
    ensure(
      pool >= coin.amount,
      ErrorCode.InsufficientFunds,
      () => `fee pool holds ${pool}${coin.denom}, asked ${coin.amount}`,
    );
    ctx.store.set(key, pool - coin.amount);
    this.add(ctx, to, coin);
  }

  private subtract(ctx: Context, address: string, coin: Coin): void {
    const key = balanceKey(address, coin.denom);
    const have = amountAt(ctx.store, key);
    if (have < coin.amount) {
      throw new ChainError(
        ErrorCode.InsufficientFunds,
        `insufficient funds: ${address} has ${have}${coin.denom}, needs ${coin.amount}${coin.denom}`,
      );
    }
    const left = have - coin.amount;
    if (left === 0n) ctx.store.delete(key);
    else ctx.store.set(key, left);
  }

  private add(ctx: Context, address: string, coin: Coin): void {
    const key = balanceKey(address, coin.denom);
    ctx.store.set(key, amountAt(ctx.store, key) + coin.amount);
  }
}
