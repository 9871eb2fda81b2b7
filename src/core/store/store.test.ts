import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256, toHex } from '../crypto/hash.ts';
import { decode, encode, type Value } from '../encoding/canonical.ts';
import { Branch } from './branch.ts';
import { Commitment, DEPTH, leafHash } from './commitment.ts';
import { type StateChange, StateTree } from './state-tree.ts';
import { lowerBound, prefixEnd, type ReadStore } from './store.ts';

const utf8 = new TextEncoder();

const list = (s: ReadStore, prefix = '') => [...s.iterate(prefix)];
const keysOf = (s: ReadStore, prefix = '') => list(s, prefix).map(([k]) => k);

function treeWith(entries: Record<string, Value>): StateTree {
  const t = new StateTree();
  for (const [k, v] of Object.entries(entries)) t.set(k, v);
  t.commit();
  return t;
}

/** The model's view: entries under `prefix`, sorted by key. */
function modelList(model: Map<string, Value>, prefix = ''): [string, Value][] {
  return [...model.entries()]
    .filter(([k]) => k.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * An independent implementation of the documented commitment layout:
 *   leaf = sha256(0x00 ‖ uvarint(len key) ‖ key ‖ value), bucket = sha256(0x02 ‖ leaves…),
 *   node = sha256(0x01 ‖ left ‖ right), buckets named by the first DEPTH bits of sha256(key).
 */
function referenceRoot(entries: Map<string, Uint8Array>): string {
  const empty = new Uint8Array(32);
  const byBucket = new Map<number, string[]>();
  for (const key of entries.keys()) {
    const h = sha256(utf8.encode(key));
    const b = (((h[0] as number) << 8) | (h[1] as number)) >> (16 - DEPTH);
    byBucket.set(b, [...(byBucket.get(b) ?? []), key]);
  }
  let level: Uint8Array[] = new Array(1 << DEPTH).fill(empty);
  for (const [b, keys] of byBucket) {
    const parts: Uint8Array[] = [Uint8Array.of(2)];
    for (const k of keys.sort()) {
      const kb = utf8.encode(k);
      const len: number[] = [];
      let n = kb.length;
      while (n >= 0x80) {
        len.push((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      len.push(n);
      parts.push(sha256(Uint8Array.from([0, ...len, ...kb, ...(entries.get(k) as Uint8Array)])));
    }
    level[b] = sha256(Uint8Array.from(parts.flatMap((p) => [...p])));
  }
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(
        sha256(Uint8Array.from([1, ...(level[i] as Uint8Array), ...(level[i + 1] as Uint8Array)])),
      );
    }
    level = next;
  }
  return toHex(level[0] as Uint8Array);
}

// Every StateTree builds a 4096-bucket commitment (~10 ms), so the property runs stay modest.
// Short keys over a small alphabet so that prefixes, overwrites and deletes collide often.
const keyArb = fc.string({ unit: fc.constantFrom('a', 'b', '/', 'é'), minLength: 1, maxLength: 4 });
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  fc.integer(),
  fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
);
type Op = { op: 'set'; key: string; value: Value } | { op: 'delete'; key: string };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: keyArb, value: valueArb }),
  fc.record({ op: fc.constant('delete' as const), key: keyArb }),
);
const prefixArb = fc.oneof(
  fc.constant(''),
  fc.string({ unit: fc.constantFrom('a', 'b', '/'), maxLength: 2 }),
);

function apply(
  store: { set(k: string, v: Value): void; delete(k: string): void },
  model: Map<string, Value>,
  op: Op,
) {
  if (op.op === 'set') {
    store.set(op.key, op.value);
    model.set(op.key, op.value);
  } else {
    store.delete(op.key);
    model.delete(op.key);
  }
}

describe('store helpers', () => {
  it('lowerBound finds the first index ≥ key; prefixEnd bounds a prefix', () => {
    const keys = ['a', 'b', 'b/1', 'c'];
    expect(lowerBound(keys, '')).toBe(0);
    expect(lowerBound(keys, 'b')).toBe(1);
    expect(lowerBound(keys, 'b/0')).toBe(2);
    expect(lowerBound(keys, 'bz')).toBe(3);
    expect(lowerBound(keys, 'd')).toBe(4);
    expect(lowerBound([], 'a')).toBe(0);
    expect('b/zzz' < prefixEnd('b/')).toBe(true);
    expect('b0' < prefixEnd('b/')).toBe(false);
  });
});

describe('Branch', () => {
  it('overlays writes: reads fall through, the parent is untouched until write()', () => {
    const tree = treeWith({ 'a/1': 1, 'a/2': 2 });
    const br = new Branch(tree);
    expect(br.get('a/1')).toBe(1);
    br.set('a/1', 10);
    br.set('a/9', 9);
    expect(br.get('a/1')).toBe(10);
    expect(br.get('a/9')).toBe(9);
    expect(tree.get('a/1')).toBe(1);
    expect(tree.get('a/9')).toBeUndefined();
    expect(br.size).toBe(2);
    br.write();
    expect(tree.get('a/1')).toBe(10);
    expect(tree.get('a/9')).toBe(9);
    expect(br.size).toBe(0);
  });

  it('hides deleted keys from get and iterate, and deletes them below on write()', () => {
    const tree = treeWith({ 'a/1': 1, 'a/2': 2, 'a/3': 3 });
    const br = new Branch(tree);
    br.delete('a/2');
    expect(br.get('a/2')).toBeUndefined();
    expect(keysOf(br, 'a/')).toEqual(['a/1', 'a/3']);
    expect(tree.get('a/2')).toBe(2);
    br.set('a/2', 22); // set after delete revives the key
    expect(br.get('a/2')).toBe(22);
    br.delete('a/2');
    br.write();
    expect(tree.get('a/2')).toBeUndefined();
    expect(keysOf(tree)).toEqual(['a/1', 'a/3']);
  });

  it('iterate merges its own and the parent entries in sorted order, own values winning', () => {
    const tree = treeWith({ 'a/1': 1, 'a/3': 3, 'a/5': 5, b: 'x', 'a/7': 7 });
    const br = new Branch(tree);
    br.set('a/6', 6);
    br.set('a/2', 2);
    br.set('a/5', 50);
    br.delete('a/3');
    br.set('a/0', 0);
    br.set('c', 'not in prefix');
    br.delete('a/9'); // absent below: nothing to hide
    expect(list(br, 'a/')).toEqual([
      ['a/0', 0],
      ['a/1', 1],
      ['a/2', 2],
      ['a/5', 50],
      ['a/6', 6],
      ['a/7', 7],
    ]);
    expect(keysOf(br)).toEqual(['a/0', 'a/1', 'a/2', 'a/5', 'a/6', 'a/7', 'b', 'c']);
    expect(list(br, 'zz')).toEqual([]);
    // The parent is unchanged by the branch's view.
    expect(keysOf(tree)).toEqual(['a/1', 'a/3', 'a/5', 'a/7', 'b']);
  });

  it('nests: an inner write lands in the outer branch only, the outer one in the tree', () => {
    const tree = treeWith({ k: 1, gone: 'x' });
    const outer = new Branch(tree);
    outer.set('k', 2);
    const inner = new Branch(outer);
    expect(inner.get('k')).toBe(2);
    inner.set('k', 3);
    inner.set('new', 'n');
    inner.delete('gone');
    expect(outer.get('k')).toBe(2);
    expect(outer.get('gone')).toBe('x');
    expect(keysOf(inner)).toEqual(['k', 'new']);
    inner.write();
    expect(outer.get('k')).toBe(3);
    expect(outer.get('gone')).toBeUndefined();
    expect(tree.get('k')).toBe(1);
    expect(tree.get('gone')).toBe('x');
    outer.write();
    expect(tree.get('k')).toBe(3);
    expect(tree.get('new')).toBe('n');
    expect(tree.get('gone')).toBeUndefined();
  });

  it('a discarded branch leaves nothing behind', () => {
    const tree = treeWith({ k: 1 });
    const { root } = tree.commit();
    const br = new Branch(tree);
    br.set('k', 2);
    br.delete('k');
    br.set('j', 1);
    expect(tree.get('k')).toBe(1);
    expect(tree.get('j')).toBeUndefined();
    expect(toHex(tree.commit().root)).toBe(toHex(root));
  });

  it('matches a map model under random ops, nested two deep', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyArb, valueArb), { maxLength: 15 }),
        fc.array(opArb, { maxLength: 25 }),
        fc.array(opArb, { maxLength: 25 }),
        prefixArb,
        (initial, outerOps, innerOps, prefix) => {
          const tree = new StateTree();
          const model = new Map<string, Value>();
          for (const [k, v] of initial) apply(tree, model, { op: 'set', key: k, value: v });
          tree.commit();
          const base = new Map(model);
          const outer = new Branch(tree);
          for (const op of outerOps) apply(outer, model, op);
          const outerModel = new Map(model);
          const inner = new Branch(outer);
          for (const op of innerOps) apply(inner, model, op);
          expect(list(inner, prefix)).toEqual(modelList(model, prefix));
          expect(list(outer, prefix)).toEqual(modelList(outerModel, prefix));
          expect(list(tree, prefix)).toEqual(modelList(base, prefix));
          for (const [k] of [...initial, ...innerOps.map((o) => [o.key])]) {
            expect(inner.get(k as string)).toEqual(model.get(k as string));
          }
          inner.write();
          expect(list(outer, prefix)).toEqual(modelList(model, prefix));
          outer.write();
          expect(list(tree)).toEqual(modelList(model));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('matches a layered model three deep, with scans interleaved with writes at every level', () => {
    // A msg branch in a tx branch in a block branch, as the app nests them. The model keeps
    // each level's own writes; a level sees the base under its own and its parents' writes.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyArb, valueArb), { maxLength: 15 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), opArb, prefixArb), { maxLength: 60 }),
        (initial, steps) => {
          const tree = new StateTree({ commitment: false });
          const base = new Map<string, Value>();
          for (const [k, v] of initial) apply(tree, base, { op: 'set', key: k, value: v });
          const gone = Symbol('deleted');
          const own = [0, 1, 2].map(() => new Map<string, Value | typeof gone>());
          const viewOf = (level: number) => {
            const view = new Map(base);
            for (let l = 0; l <= level; l++) {
              for (const [k, v] of own[l] as Map<string, Value | typeof gone>) {
                if (v === gone) view.delete(k);
                else view.set(k, v);
              }
            }
            return view;
          };
          const outer = new Branch(tree);
          const middle = new Branch(outer);
          const levels = [outer, middle, new Branch(middle)];
          for (const [level, op, prefix] of steps) {
            const store = levels[level] as Branch;
            const mine = own[level] as Map<string, Value | typeof gone>;
            if (op.op === 'set') {
              store.set(op.key, op.value);
              mine.set(op.key, op.value);
            } else {
              store.delete(op.key);
              mine.set(op.key, gone);
            }
            for (let l = 0; l < 3; l++) {
              expect(list(levels[l] as Branch, prefix)).toEqual(modelList(viewOf(l), prefix));
            }
          }
          const all = viewOf(2);
          (levels[2] as Branch).write();
          (levels[1] as Branch).write();
          expect(list(outer)).toEqual(modelList(all));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("a scan reads the branch's own keys when it reaches them: later writes show, deletes hide", () => {
    const tree = treeWith({ 'k/a': 1, 'k/c': 3 });
    const br = new Branch(new Branch(tree));
    br.set('k/b', 2);
    br.set('k/c', 4);
    const seen: [string, Value][] = [];
    for (const [k, v] of br.iterate('k/')) {
      seen.push([k, v]);
      if (k === 'k/a') {
        br.set('k/c', 30);
        br.delete('k/b');
      }
    }
    expect(seen).toEqual([
      ['k/a', 1],
      ['k/c', 30],
    ]);
  });
});

describe('StateTree', () => {
  it('iterates by prefix in key order across adds and deletes', () => {
    const t = new StateTree();
    t.set('bank/b', 2);
    t.set('bank/a', 1);
    t.set('auth/x', 0);
    expect(keysOf(t, 'bank/')).toEqual(['bank/a', 'bank/b']);
    t.set('bank/ab', 3);
    expect(keysOf(t, 'bank/')).toEqual(['bank/a', 'bank/ab', 'bank/b']);
    t.delete('bank/a');
    expect(keysOf(t, 'bank/')).toEqual(['bank/ab', 'bank/b']);
    t.set('bank/a', 4);
    expect(list(t, 'bank/a')).toEqual([
      ['bank/a', 4],
      ['bank/ab', 3],
    ]);
    t.commit();
    t.delete('bank/b');
    expect(keysOf(t, 'bank/')).toEqual(['bank/a', 'bank/ab']);
    expect(keysOf(t, 'nothing/')).toEqual([]);
    expect(t.size).toBe(3);
  });

  it('matches a map model under random ops with iterations in between', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(opArb, prefixArb, fc.boolean()), { maxLength: 60 }),
        (steps) => {
          const t = new StateTree();
          const model = new Map<string, Value>();
          for (const [op, prefix, commit] of steps) {
            apply(t, model, op);
            expect(list(t, prefix)).toEqual(modelList(model, prefix));
            if (commit) t.commit();
          }
          expect(t.size).toBe(model.size);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('keeps its key index right through many adds, deletes and re-adds (index rebuilds)', () => {
    // Enough churn to pass the index's rebuild thresholds several times; no commitment, so
    // the runs stay cheap.
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 9 })),
          { minLength: 500, maxLength: 3000 },
        ),
        (steps) => {
          const t = new StateTree({ commitment: false });
          const model = new Map<string, Value>();
          steps.forEach(([add, n, prefix], i) => {
            const key = `${n % 10}/${n}`;
            apply(t, model, add ? { op: 'set', key, value: i } : { op: 'delete', key });
            if (i % 97 === 0) {
              expect(list(t, `${prefix}/`)).toEqual(modelList(model, `${prefix}/`));
              t.commit();
            }
          });
          expect(list(t)).toEqual(modelList(model));
          expect(t.size).toBe(model.size);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('without a commitment, commit() seals writes with a zero root and no change set', () => {
    const t = new StateTree({ commitment: false });
    t.set('a', 1);
    t.set('b', 2);
    expect(t.commit()).toEqual({ root: new Uint8Array(32), changes: [] });
    t.delete('a');
    expect(t.commit().changes).toEqual([]);
    expect(list(t)).toEqual([['b', 2]]);
  });

  it('skips a key deleted while iterating', () => {
    const t = treeWith({ a: 1, b: 2, c: 3 });
    const seen: string[] = [];
    for (const [k] of t.iterate('')) {
      seen.push(k);
      if (k === 'a') t.delete('b');
    }
    expect(seen).toEqual(['a', 'c']);
  });

  it('commit() returns the sorted change set with previous values', () => {
    const t = treeWith({ keep: 1, change: 'old', drop: true });
    t.set('change', 'new');
    t.set('change', 'newer');
    t.delete('drop');
    t.set('add', [1]);
    const { changes } = t.commit();
    const view = changes.map((c: StateChange) => ({
      key: c.key,
      value: c.value === null ? null : decode(c.value),
      prev: c.prev === null ? null : decode(c.prev),
    }));
    expect(view).toEqual([
      { key: 'add', value: [1], prev: null },
      { key: 'change', value: 'newer', prev: 'old' },
      { key: 'drop', value: null, prev: true },
    ]);
    expect(t.commit().changes).toEqual([]);
  });
});

describe('state commitment (Merkle root)', () => {
  it('matches an independent implementation of the documented layout', () => {
    const cases: Record<string, Value>[] = [
      {},
      { a: 1 },
      { 'bank/bal/x/ubwk': 5n, 'auth/nonce/x': 3, 'app/chain-id': 'bulwark-test' },
      Object.fromEntries(
        Array.from({ length: 300 }, (_, i) => [`k/${i}`, i % 7 === 0 ? null : `v${i}`]),
      ),
      { ['é'.repeat(70)]: 'a key longer than 127 bytes' },
    ];
    for (const entries of cases) {
      const t = new StateTree();
      for (const [k, v] of Object.entries(entries)) t.set(k, v);
      const encoded = new Map(Object.entries(entries).map(([k, v]) => [k, encode(v)]));
      expect(toHex(t.commit().root)).toBe(referenceRoot(encoded));
    }
  });

  it('the empty root is the fold of empty buckets, and leafHash follows the layout', () => {
    expect(toHex(new Commitment().root())).toBe(referenceRoot(new Map()));
    expect(toHex(leafHash('ab', Uint8Array.of(9)))).toBe(
      toHex(sha256(Uint8Array.of(0, 2, 0x61, 0x62, 9))),
    );
  });

  it('gives the same root for the same entries inserted in any order and commit grouping', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(keyArb, valueArb), {
          selector: ([k]) => k,
          minLength: 1,
          maxLength: 40,
        }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        fc.nat({ max: 5 }),
        (entries, order, chunk) => {
          const a = new StateTree();
          for (const [k, v] of entries) a.set(k, v);
          const rootA = toHex(a.commit().root);
          // A permutation driven by `order`, committed every `chunk + 1` writes.
          const rest = [...entries];
          const b = new StateTree();
          let i = 0;
          while (rest.length > 0) {
            const [entry] = rest.splice((order[i % order.length] as number) % rest.length, 1);
            b.set(entry![0], entry![1]);
            if (++i % (chunk + 1) === 0) b.commit();
          }
          expect(toHex(b.commit().root)).toBe(rootA);
          // A Commitment fed directly agrees too.
          const c = new Commitment();
          for (const [k, v] of [...entries].reverse()) c.update(k, encode(v));
          expect(toHex(c.root())).toBe(rootA);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('orders the leaves of a shared bucket by key, not by arrival', () => {
    // 3000 keys in 4096 buckets: many buckets hold several keys.
    const keys = Array.from({ length: 3000 }, (_, i) => `bucket-test/${i}`);
    const value = encode(1n);
    const forward = new Commitment();
    for (const k of keys) forward.update(k, value);
    const backward = new Commitment();
    for (const k of [...keys].reverse()) backward.update(k, value);
    expect(toHex(backward.root())).toBe(toHex(forward.root()));
    // Through a StateTree, keys arriving in separate commits in reverse order.
    const t = new StateTree();
    for (let i = keys.length - 1; i >= 0; i -= 500) {
      for (const k of keys.slice(Math.max(0, i - 499), i + 1)) t.set(k, 1n);
      t.commit();
    }
    expect(toHex(t.commit().root)).toBe(toHex(forward.root()));
  });

  it('changes when any one value changes, and returns when it is changed back', () => {
    const entries = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`key/${i}`, BigInt(i)]),
    );
    const t = treeWith(entries);
    const base = toHex(t.commit().root);
    const seen = new Set([base]);
    for (const key of Object.keys(entries)) {
      t.set(key, (entries[key] as bigint) + 1n);
      const changed = toHex(t.commit().root);
      expect(seen.has(changed)).toBe(false);
      seen.add(changed);
      t.set(key, entries[key] as bigint);
      expect(toHex(t.commit().root)).toBe(base);
    }
    // A change of type alone (1 vs 1n) is a change.
    t.set('key/1', 1);
    expect(toHex(t.commit().root)).not.toBe(base);
  });

  it('changes with any key added; deleting it restores the previous root', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(keyArb, valueArb), { selector: ([k]) => k, maxLength: 30 }),
        keyArb,
        valueArb,
        (entries, extra, value) => {
          fc.pre(!entries.some(([k]) => k === extra));
          const t = new StateTree();
          for (const [k, v] of entries) t.set(k, v);
          const before = toHex(t.commit().root);
          t.set(extra, value);
          const added = toHex(t.commit().root);
          expect(added).not.toBe(before);
          t.delete(extra);
          expect(toHex(t.commit().root)).toBe(before);
          // Within one block: set then delete leaves the root as it was.
          t.set(extra, value);
          t.delete(extra);
          expect(toHex(t.commit().root)).toBe(before);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a key moved to another value of equal encoding keeps the root; distinct keys do not collide', () => {
    const t = treeWith({ a: { x: 1, y: 2 } });
    const root = toHex(t.commit().root);
    t.set('a', { y: 2, x: 1 });
    expect(toHex(t.commit().root)).toBe(root);
    const u = treeWith({ b: { x: 1, y: 2 } });
    expect(toHex(u.commit().root)).not.toBe(root);
  });

  it('load() of the committed changes reproduces the root and the state', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(opArb, { maxLength: 15 }), { minLength: 1, maxLength: 8 }),
        (blocks) => {
          const t = new StateTree();
          const persisted = new Map<string, Uint8Array>();
          let root = t.commit().root;
          for (const ops of blocks) {
            for (const op of ops) {
              if (op.op === 'set') t.set(op.key, op.value);
              else t.delete(op.key);
            }
            const res = t.commit();
            root = res.root;
            for (const c of res.changes) {
              if (c.value === null) persisted.delete(c.key);
              else persisted.set(c.key, c.value);
            }
          }
          const restored = new StateTree();
          expect(toHex(restored.load(persisted.entries()))).toBe(toHex(root));
          expect(list(restored)).toEqual(list(t));
          // The restored tree keeps committing like the original.
          t.set('after', 1);
          restored.set('after', 1);
          expect(toHex(restored.commit().root)).toBe(toHex(t.commit().root));
        },
      ),
      { numRuns: 30 },
    );
  });
});
