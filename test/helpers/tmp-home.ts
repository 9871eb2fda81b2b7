import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type InitResult, initHome } from '../../src/node/home.ts';

/** A fresh devnet home in the OS temp folder; `cleanup` removes it. */
export async function tempHome(
  validators = 4,
): Promise<{ home: string; init: InitResult; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'bulwark-test-'));
  const init = await initHome({ home, validators, overwrite: true });
  return { home, init, cleanup: () => rm(home, { recursive: true, force: true }) };
}
