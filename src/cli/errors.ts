import { ErrorCode } from '../core/errors.ts';
import { DistributionErrorCode as Distr } from '../core/modules/distribution/errors.ts';
import { GovError as Gov } from '../core/modules/gov/errors.ts';
import { SlashingError as Slashing } from '../core/modules/slashing/errors.ts';
import { StakingError as Staking } from '../core/modules/staking/errors.ts';
import { KeystoreError } from '../node/keystore.ts';
import { ArgumentError, ConnectionError, RpcError, RpcErrorCode, TxError } from '../sdk/errors.ts';

/** Exit codes: 0 ok, 1 usage (bad arguments, keys, home), 2 the chain or node said no, 3 no node to talk to. */
export const ExitCode = {
  Ok: 0,
  Usage: 1,
  Chain: 2,
  Connection: 3,
} as const;

/** An error the CLI itself raises, with what to do about it. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly hint: string,
    readonly exitCode: number = ExitCode.Usage,
  ) {
    super(message);
  }
}

export interface Failure {
  message: string;
  hint: string;
  exitCode: number;
}

export const START_HINT =
  'is a node running? Start one with `npm start` (or `bulwark start --devnet`), or point --node / BULWARK_NODE at a running node';

/** Turns anything a command (`bulwark tx bank send`) threw into the two lines and the exit code the user sees. */
export function failureOf(e: unknown, command: string): Failure {
  const help = `see \`${command} --help\``;
  if (e instanceof CliError) return { message: e.message, hint: e.hint, exitCode: e.exitCode };
  if (e instanceof ConnectionError)
    return { message: e.message, hint: START_HINT, exitCode: ExitCode.Connection };
  if (e instanceof TxError)
    return { message: e.message, hint: txHint(e), exitCode: ExitCode.Chain };
  if (e instanceof RpcError)
    return { message: e.message, hint: rpcHint(e, help), exitCode: ExitCode.Chain };
  if (e instanceof ArgumentError)
    return { message: e.message, hint: help, exitCode: ExitCode.Usage };
  if (e instanceof KeystoreError)
    return { message: e.message, hint: keystoreHint(e.message), exitCode: ExitCode.Usage };
  const err = e as { code?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  if (err?.code === 'EADDRINUSE' || /EADDRINUSE/.test(message)) {
    return {
      message,
      hint: 'another process listens on that address: stop it or pick another with --rpc-addr',
      exitCode: ExitCode.Usage,
    };
  }
  if (err?.code === 'EACCES' || err?.code === 'EPERM') {
    return {
      message,
      hint: 'check the permissions of the home folder (--home)',
      exitCode: ExitCode.Usage,
    };
  }
  return {
    message,
    hint: `${help}; if this looks like a bug, report it with the command you ran`,
    exitCode: ExitCode.Usage,
  };
}

function txHint(e: TxError): string {
  switch (e.code) {
    case ErrorCode.InsufficientFunds:
      return 'check the balance with `bulwark query bank balance <from>`; the fee is paid too';
    case ErrorCode.InsufficientFee:
      return 'raise --fee; `bulwark query auth params` shows the fee denom and the minimum fee';
    case ErrorCode.InvalidNonce:
      return 'another tx from this account is pending or was just committed: wait a block and retry';
    case ErrorCode.UnknownDenom:
      return '`bulwark query bank params` lists the denoms this chain knows';
    case ErrorCode.WrongChainId:
      return 'the node serves another chain: check --node';
    case ErrorCode.TxInMempool:
      return 'the same tx is already waiting in the mempool: wait for its block';
    case ErrorCode.MempoolFull:
      return 'the node is busy: retry in a few seconds';
    default: {
      const hint = moduleHint(e.code);
      if (hint !== undefined) return hint;
      return e.stage === 'deliver'
        ? `the fee was paid and the nonce used; inspect it with \`bulwark query tx ${e.hash}\``
        : 'nothing was changed; fix the tx and send it again';
    }
  }
}

const VALIDATORS =
  '`bulwark query staking validators` lists the validators (operator address and moniker)';
const DELEGATIONS = '`bulwark query staking delegations <from>` shows your delegations';

/** What to do about an error code of staking, slashing, distribution or gov (docs/errors.md). */
export function moduleHint(code: number): string | undefined {
  switch (code) {
    case Staking.UnknownValidator:
      return VALIDATORS;
    case Staking.ValidatorExists:
      return 'this key already operates a validator: change it with `bulwark tx staking edit-validator`';
    case Staking.ConsKeyInUse:
      return 'another validator uses this consensus key: generate a new one for this validator';
    case Staking.SelfBondTooLow:
      return 'raise --self-bond: `bulwark query staking params` shows minSelfBond';
    case Staking.CommissionTooHigh:
    case Staking.InvalidCommission:
      return 'keep rate ≤ max rate ≤ 1 and max change rate ≤ max rate';
    case Staking.CommissionChangeTooFast:
      return 'the commission may change once per 24 h: `bulwark query staking validator <v>` shows the last change';
    case Staking.CommissionChangeTooLarge:
      return 'change the rate by at most the max change rate (`bulwark query staking validator <v>`)';
    case Staking.ValidatorJailed:
    case Staking.ValidatorTombstoned:
    case Staking.ValidatorInsolvent:
      return 'pick a validator that is bonded and not jailed: `bulwark query staking validators --status bonded`';
    case Staking.InsufficientShares:
    case Staking.NoDelegation:
    case Distr.NoDelegation:
      return DELEGATIONS;
    case Staking.TooManyEntries:
      return 'wait for an entry to complete: `bulwark query staking unbondings <from>` (or redelegations)';
    case Staking.RedelegationHop:
      return 'stake redelegated into this validator must mature first: `bulwark query staking redelegations <from>`';
    case Staking.SelfRedelegation:
      return 'redelegate to another validator';
    case Staking.WrongDenom:
      return '`bulwark query staking params` shows the bond denom';
    case Staking.AmountTooSmall:
      return 'use a larger amount';
    case Staking.SelfDelegationTooLow:
    case Slashing.SelfDelegationTooLow:
      return 'delegate to your validator from the operator key until the self-delegation reaches its minSelfDelegation';
    case Staking.NotJailed:
    case Slashing.NotJailed:
      return 'the validator is not jailed: nothing to do';
    case Slashing.UnknownValidator:
      return `the key operates no validator, or the evidence names an unknown one: ${VALIDATORS}`;
    case Slashing.NotOperator:
      return 'sign with the operator key of the validator';
    case Slashing.JailPeriodNotOver:
      return '`bulwark query slashing signing-info <validator>` shows when the jail time ends';
    case Slashing.Tombstoned:
      return 'a tombstoned validator is jailed forever and already punished';
    case Slashing.InvalidEvidence:
    case Slashing.EvidenceSameBlock:
    case Slashing.EvidenceWrongChain:
    case Slashing.EvidenceBadSignature:
    case Slashing.EvidenceFromFuture:
    case Slashing.EvidenceExpired:
      return 'the evidence is not a valid, recent double sign; docs/modules/slashing.md explains the checks';
    case Distr.UnknownValidator:
      return 'only a validator operator has commission: sign with the operator key';
    case Distr.NoCommission:
      return 'no commission to withdraw yet: `bulwark query distribution commission <validator>`';
    case Distr.InsufficientCommunityPool:
      return '`bulwark query distribution community-pool` shows what the pool holds';
    case Distr.InvalidWithdrawAddress:
      return 'choose an account address, not the distribution module account';
    case Gov.ProposalNotFound:
      return '`bulwark query gov proposals` lists the proposals';
    case Gov.UnknownParamsModule:
    case Gov.UnknownParam:
    case Gov.ParamOutOfBounds:
      return '`bulwark query <module> params` lists the params; docs/modules/<module>.md gives their bounds';
    case Gov.NotInDepositPeriod:
    case Gov.NotInVotingPeriod:
      return '`bulwark query gov proposal <id>` shows its status and times';
    case Gov.NotAStaker:
      return 'only stakers vote: delegate first with `bulwark tx staking delegate <from> <validator> <amount>`';
    case Gov.WrongDepositDenom:
      return '`bulwark query gov params` shows the deposit denom (minDeposit)';
    default:
      return undefined;
  }
}

function rpcHint(e: RpcError, help: string): string {
  switch (e.code) {
    case RpcErrorCode.NotFound:
      return 'check the hash or height; `bulwark status` shows the latest height';
    case RpcErrorCode.PrunedHeight:
      return '`bulwark status` shows the earliest and latest heights this node can answer for';
    case RpcErrorCode.Timeout:
      return 'the tx may still be committed: look it up later with `bulwark query tx <hash>`';
    case RpcErrorCode.MethodNotFound:
      return 'the node does not serve this method: is it a Bulwark node of the same version?';
    case RpcErrorCode.InvalidParams:
    case RpcErrorCode.InvalidRequest:
      return help;
    default:
      break;
  }
  if (e.chainCode === ErrorCode.UnknownQuery) return 'docs/queries.md lists the query paths';
  if (e.chainCode === ErrorCode.NotFound)
    return 'nothing is recorded for these arguments; check them, or the height';
  const hint = e.chainCode === undefined ? undefined : moduleHint(e.chainCode);
  if (hint !== undefined) return hint;
  if (e.chainCode === ErrorCode.InvalidRequest) return `check the query arguments; ${help}`;
  if (e.chainCode === ErrorCode.UnknownDenom)
    return '`bulwark query bank params` lists the denoms this chain knows';
  return 'docs/errors.md explains every code';
}

function keystoreHint(message: string): string {
  if (message.startsWith('no key named')) {
    return 'list your keys with `bulwark keys list`, or add one with `bulwark keys add NAME` (check --home)';
  }
  if (message.includes('passphrase is needed')) {
    return 'set BULWARK_PASSPHRASE, or pipe the passphrase in with --passphrase-stdin';
  }
  if (message.startsWith('wrong passphrase'))
    return 'check the passphrase (BULWARK_PASSPHRASE or --passphrase-stdin)';
  if (message.includes('already exists'))
    return 'pick another name, or see it with `bulwark keys show NAME`';
  if (message.startsWith('passphrase must be')) return 'choose a longer passphrase';
  if (message.startsWith('invalid key name'))
    return 'key names are letters, digits, _ and -, up to 64 characters';
  return 'see `bulwark keys --help`';
}
