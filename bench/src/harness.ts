import { percentile, type Spread, spread } from "./stats.js";

/** Something to time: `op(i)` is one operation; `setup`/`teardown` run once, outside the timings. */
export interface Subject {
  name: string;
  setup?: () => Promise<void>;
  op: (i: number) => Promise<unknown> | unknown;
  teardown?: () => Promise<void>;
}

export interface ComparisonConfig {
  candidate: Subject;
  /** The first baseline is the one targets are set against; the others are for information. */
  baselines: readonly Subject[];
  samples: number;
  opsPerSample: number;
  warmupOps: number;
  /** Record each operation's latency and report p50/p95. */
  latencies?: boolean;
}

export interface SubjectFigures {
  name: string;
  opsPerSec: Spread;
  latencyMs?: { p50: number; p95: number };
}

export interface BaselineFigures extends SubjectFigures {
  /** candidate ops/s ÷ this baseline's ops/s, per sample; the median is the headline figure. */
  ratio: Spread;
}

export interface ComparisonFigures {
  samples: number;
  opsPerSample: number;
  warmupOps: number;
  candidate: SubjectFigures;
  baselines: BaselineFigures[];
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

interface Run {
  opsPerSec: number;
  latencies: number[];
}

async function runBlock(subject: Subject, start: number, ops: number, latencies: boolean): Promise<Run> {
  collectGarbage?.();
  const times: number[] = [];
  const begin = process.hrtime.bigint();
  if (latencies) {
    for (let i = 0; i < ops; i++) {
      const t0 = process.hrtime.bigint();
      await subject.op(start + i);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  } else {
    for (let i = 0; i < ops; i++) await subject.op(start + i);
  }
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
  return { opsPerSec: ops / seconds, latencies: times };
}

/**
 * Interleaved, same-process comparison. After a warmup of every subject, each sample runs every subject for
 * the same number of operations, one after the other; the order rotates from sample to sample so no subject
 * always runs first (or always right after another's garbage). Ratios are taken per sample, then the median.
 */
export async function compare(config: ComparisonConfig): Promise<ComparisonFigures> {
  const subjects = [config.candidate, ...config.baselines];
  if (config.samples < 1 || config.opsPerSample < 1)
    throw new RangeError("samples and opsPerSample must be >= 1");
  for (const subject of subjects) await subject.setup?.();
  try {
    for (const subject of subjects) await runBlock(subject, 0, config.warmupOps, false);
    const runs: Run[][] = subjects.map(() => []);
    let next = config.warmupOps;
    for (let sample = 0; sample < config.samples; sample++) {
      for (let k = 0; k < subjects.length; k++) {
        const index = (sample + k) % subjects.length;
        const run = await runBlock(
          subjects[index] as Subject,
          next,
          config.opsPerSample,
          config.latencies ?? false,
        );
        (runs[index] as Run[]).push(run);
      }
      next += config.opsPerSample;
    }
    const figures = (index: number): SubjectFigures => {
      const subjectRuns = runs[index] as Run[];
      const out: SubjectFigures = {
        name: (subjects[index] as Subject).name,
        opsPerSec: spread(subjectRuns.map((run) => run.opsPerSec)),
      };
      if (config.latencies) {
        const all = subjectRuns.flatMap((run) => run.latencies);
        out.latencyMs = { p50: percentile(all, 50), p95: percentile(all, 95) };
      }
      return out;
    };
    const candidateRuns = runs[0] as Run[];
    return {
      samples: config.samples,
      opsPerSample: config.opsPerSample,
      warmupOps: config.warmupOps,
      candidate: figures(0),
      baselines: config.baselines.map((_, b) => {
        const baselineRuns = runs[b + 1] as Run[];
        const ratios = candidateRuns.map((run, s) => run.opsPerSec / (baselineRuns[s] as Run).opsPerSec);
        return { ...figures(b + 1), ratio: spread(ratios) };
      }),
    };
  } finally {
    for (const subject of subjects) await subject.teardown?.();
  }
}

/** Times `op` `count` times after `warmup` untimed calls; returns each call's latency in milliseconds. */
export async function sampleLatencies(
  op: (i: number) => Promise<unknown>,
  count: number,
  warmup: number,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await op(i);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await op(warmup + i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}
