import cliProgress from 'cli-progress';

/**
 * Progress of a simulation: on a terminal a bar (runs done, blocks/s, ETA); elsewhere (CI,
 * a pipe, a test) plain lines, one per finished run, so a log shows where a batch stands.
 */
export interface Progress {
  blocks(n: number): void;
  runDone(label: string, failed: string | undefined): void;
  stop(): void;
}

export function createProgress(
  totalRuns: number,
  blocksPerRun: number,
  opts: { tty: boolean; write: (line: string) => void; now?: () => number },
): Progress {
  const now = opts.now ?? (() => performance.now());
  const total = totalRuns * blocksPerRun;
  const start = now();
  let done = 0;
  let runs = 0;
  const rate = () => {
    const s = (now() - start) / 1000;
    return s > 0 ? done / s : 0;
  };
  if (opts.tty) {
    const bar = new cliProgress.SingleBar(
      {
        format:
          'simulate [{bar}] {percentage}% | runs {runs}/{totalRuns} | {rate} blocks/s | ETA {eta_formatted}',
        hideCursor: true,
        stream: process.stderr,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { runs: 0, totalRuns, rate: '0' });
    return {
      blocks(n) {
        done += n;
        bar.update(done, { runs, rate: Math.round(rate()).toLocaleString('en-US') });
      },
      runDone() {
        runs++;
        bar.update(done, { runs });
      },
      stop() {
        bar.stop();
      },
    };
  }
  return {
    blocks(n) {
      done += n;
    },
    runDone(label, failed) {
      runs++;
      const eta = rate() > 0 ? Math.round((total - done) / rate()) : 0;
      opts.write(
        `run ${runs}/${totalRuns} ${label}${failed === undefined ? '' : ` FAILED: ${failed}`} | ${Math.round(rate())} blocks/s | ETA ${eta}s\n`,
      );
    },
    stop() {},
  };
}
