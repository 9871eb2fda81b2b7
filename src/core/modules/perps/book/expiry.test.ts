import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryIndex } from './expiry.ts';

describe('ExpiryIndex', () => {
  it('returns exactly the live ids below a height, lowest height first, then insertion', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), height: fc.nat(30) }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('take' as const), height: fc.nat(35) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const index = new ExpiryIndex();
        let live: { id: string; height: number; n: number }[] = [];
        let n = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            const id = `i${n}`;
            live.push({ id, height: o.height, n: n++ });
            index.add(o.height, id);
          } else if (o.kind === 'delete') {
            if (live.length === 0) continue;
            const gone = live[o.pick % live.length]!;
            live = live.filter((x) => x !== gone);
            index.delete(gone.height, gone.id);
          } else {
            const want = live
              .filter((x) => x.height < o.height)
              .sort((a, b) => a.height - b.height || a.n - b.n)
              .map((x) => x.id);
            live = live.filter((x) => x.height >= o.height);
            expect(index.takeBelow(o.height)).toEqual(want);
          }
        }
      }),
    );
  });
});
