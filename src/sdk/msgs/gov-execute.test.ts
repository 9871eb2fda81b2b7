import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors.ts';
import {
  executeProposal,
  govMsgsFromJson,
  MAX_EXECUTE_MSGS,
  proposalContentFromJson,
  submitProposalMsg,
} from './gov.ts';

const listSeries = {
  type: 'options/list-series',
  value: { series: { id: 'ETH-3000-C', strike: '3000', expiryMs: 1 } },
};

describe('execute proposals in the SDK', () => {
  it('builds the content and the submit msg', () => {
    const c = executeProposal({ title: 'List', description: 'A call.', msgs: [listSeries] });
    expect(submitProposalMsg(c, '10ubwk')).toEqual({
      type: 'gov/submit-proposal',
      value: {
        content: { type: 'execute', title: 'List', description: 'A call.', msgs: [listSeries] },
        initialDeposit: { denom: 'ubwk', amount: 10n },
      },
    });
  });

  it('reads msgs from JSON ("<digits>n" is a bigint) and a whole content', () => {
    expect(govMsgsFromJson([{ type: 'perps/list-market', value: { a: '5n', b: '0.1' } }])).toEqual([
      { type: 'perps/list-market', value: { a: 5n, b: '0.1' } },
    ]);
    const c = proposalContentFromJson({
      type: 'execute',
      title: 'T',
      description: 'D',
      msgs: [listSeries],
    });
    expect(c).toEqual({ type: 'execute', title: 'T', description: 'D', msgs: [listSeries] });
  });

  it('refuses a bad msg list with an ArgumentError naming the field', () => {
    expect(() => govMsgsFromJson({})).toThrow(/content.msgs must be a JSON array/);
    expect(() => govMsgsFromJson([{ type: 'x/y' }])).toThrow(/msgs\[0\].value is missing/);
    expect(() => govMsgsFromJson([{ type: 'x/y', value: 1, extra: 2 }])).toThrow(/"extra"/);
    expect(() => govMsgsFromJson([{ type: 3, value: 1 }])).toThrow(ArgumentError);
    const many = Array.from({ length: MAX_EXECUTE_MSGS + 1 }, () => listSeries);
    expect(() => executeProposal({ title: 'T', description: 'D', msgs: many })).toThrow(
      /1–16 msgs/,
    );
    expect(() => executeProposal({ title: 'T', description: 'D', msgs: [] })).toThrow(/1–16 msgs/);
    expect(() =>
      executeProposal({ title: 'T', description: 'D', msgs: [{ type: 'Bad Type', value: 1 }] }),
    ).toThrow(/not a msg type/);
  });
});
