#!/usr/bin/env node
/**
 * Makes sure the system Chromium that the report's browser test drives is installed
 * (playwright-core brings no browser, and nothing may download one at test time).
 * Found: prints one line. Missing: installs the Debian `chromium` package with apt-get,
 * which needs root; without root or apt-get, or if apt-get fails, says what to do and
 * exits non-zero. Run by `npm test` as `pretest`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const DEBIAN_PATH = '/usr/bin/chromium';
const MANUAL = 'install it with: apt-get update && apt-get install -y chromium (as root)';

function findChromium() {
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (found !== '') return found;
  } catch {
    // not on PATH
  }
  return existsSync(DEBIAN_PATH) ? DEBIAN_PATH : undefined;
}

function fail(message) {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}

/** Runs apt-get, waiting up to 10 minutes for a lock another apt/dpkg holds. */
function aptGet(args) {
  const result = spawnSync(
    'apt-get',
    ['-o', 'DPkg::Lock::Timeout=600', '-o', 'Acquire::Retries=3', ...args],
    { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
  );
  if (result.error) fail(`could not run apt-get (${result.error.message}); ${MANUAL}`);
  if (result.status !== 0) {
    fail(`apt-get ${args.join(' ')} failed with exit code ${result.status}; ${MANUAL}`);
  }
}

const found = findChromium();
if (found) {
  console.log(`ensure-chromium: chromium found at ${found}`);
  process.exit(0);
}

if (process.platform !== 'linux') {
  fail(`chromium not found and this is not Linux; install Chromium and put it on PATH as chromium`);
}
if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  fail(`chromium not found and not running as root, so it cannot be installed here; ${MANUAL}`);
}
if (!findOnPath('apt-get')) {
  fail(`chromium not found and apt-get is not available; ${MANUAL} or your system's equivalent`);
}

console.log('ensure-chromium: chromium not found, installing the Debian package with apt-get');
aptGet(['update']);
aptGet(['install', '-y', 'chromium']);

const installed = findChromium();
if (!installed) fail(`apt-get finished but no chromium binary was found; ${MANUAL}`);
console.log(`ensure-chromium: chromium installed at ${installed}`);

function findOnPath(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
