import type { AnyMsgDef, Context } from '../../app/module.ts';
import { ChainError, chainErrorOf } from '../../errors.ts';
import { formatZodError } from '../../tx/tx.ts';
import { ensureGov, GovError } from './errors.ts';
import type { GovMsg, MsgRouter } from './types.ts';

/**
 * Execute proposals: msgs that run, when the proposal passes, with the gov module account as
 * their sender, through the same handlers as a tx's msgs. Only the allowlisted types run
 * (`GOV_EXECUTABLE_MSGS`); each value is parsed by its msg's own schema at submission (so a
 * broken proposal is refused before anyone deposits on it) and again at execution.
 */

/** The handler of `msg` and its parsed value, or a gov error naming the msg (index and type). */
export function resolveGovMsg(
  router: MsgRouter | undefined,
  allowed: readonly string[],
  msg: GovMsg,
  index: number,
): { def: AnyMsgDef; value: unknown } {
  const where = `msg ${index} (${msg.type})`;
  ensureGov(
    allowed.includes(msg.type),
    GovError.MsgNotAllowed,
    () => `${where}: not executable by governance; allowed: ${[...allowed].sort().join(', ')}`,
  );
  const def = router?.get(msg.type);
  ensureGov(
    def !== undefined,
    GovError.MsgNotAllowed,
    () => `${where}: no module routes this msg type on this chain`,
  );
  const parsed = def.schema.safeParse(msg.value);
  ensureGov(
    parsed.success,
    GovError.InvalidMsg,
    () => `${where}: ${parsed.error ? formatZodError(parsed.error) : 'invalid value'}`,
  );
  return { def, value: parsed.data };
}

/** Checks every msg of an execute proposal (submission): allowed, routed, value parses. */
export function checkGovMsgs(
  router: MsgRouter | undefined,
  allowed: readonly string[],
  msgs: readonly GovMsg[],
): void {
  for (const [i, m] of msgs.entries()) resolveGovMsg(router, allowed, m, i);
}

/**
 * Runs the msgs in order as `sender` (the gov account). The caller runs this in a branch it
 * discards on a throw, so a failing msg leaves nothing of the others behind; the error says
 * which msg failed.
 */
export function runGovMsgs(
  ctx: Context,
  router: MsgRouter | undefined,
  allowed: readonly string[],
  sender: string,
  msgs: readonly GovMsg[],
): void {
  for (const [i, m] of msgs.entries()) {
    const { def, value } = resolveGovMsg(router, allowed, m, i);
    try {
      def.handle(ctx, sender, value);
    } catch (e) {
      const err = chainErrorOf(e);
      throw new ChainError(err.code, `msg ${i} (${m.type}): ${err.message}`, err.codespace);
    }
    ctx.emit('gov/execute-msg', { index: i, msg_type: m.type });
  }
}
