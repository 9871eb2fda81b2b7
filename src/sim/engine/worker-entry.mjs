// Entry of a simulator worker thread: TypeScript through tsx (as bin/bulwark.js does for the
// main thread), then the worker itself.
const { register } = await import('tsx/esm/api');
register();
await import('./worker.ts');
