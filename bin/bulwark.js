#!/usr/bin/env node
// The `bulwark` command: runs src/cli/main.ts through tsx, so no build step is needed.

// Node 20 has no Promise.withResolvers (Node 22 does); some dependencies use it.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const { register } = await import('tsx/esm/api');
register();
const { main, exitWith } = await import('../src/cli/main.ts');
exitWith(await main(process.argv.slice(2)));
