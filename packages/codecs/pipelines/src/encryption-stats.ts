/** What one pipeline run measured. */
export interface PipelineMetrics {
  operation: "process" | "reverse";
  /** Codec ids in encode order, e.g. ["compression", "aes-256-gcm"]. */
  stages: string[];
  /** The encryption algorithm of the pipeline, if it has one. */
  algorithm: string | undefined;
  plaintextBytes: number;
  /** Framed output (process) or input (reverse) size, header included. */
  framedBytes: number;
  /** plaintext ÷ framed: > 1 when compression gained more than the header and tags cost. */
  compressionRatio: number;
  durationMs: number;
  /** Bytes after each stage (process only). */
  stageBytes: number[];
}

/** Running totals over pipeline runs (the seeds' `EncryptionStats`). */
export class EncryptionStats {
  totalOperations = 0;
  processOperations = 0;
  reverseOperations = 0;
  totalPlaintextBytes = 0;
  totalFramedBytes = 0;
  totalDurationMs = 0;
  errors = 0;
  /** Operations per encryption algorithm ("none" for pipelines without one). */
  readonly algorithmUsage: Record<string, number> = {};

  record(metrics: PipelineMetrics): void {
    this.totalOperations++;
    if (metrics.operation === "process") this.processOperations++;
    else this.reverseOperations++;
    this.totalPlaintextBytes += metrics.plaintextBytes;
    this.totalFramedBytes += metrics.framedBytes;
    this.totalDurationMs += metrics.durationMs;
    const algorithm = metrics.algorithm ?? "none";
    this.algorithmUsage[algorithm] = (this.algorithmUsage[algorithm] ?? 0) + 1;
  }

  recordError(): void {
    this.errors++;
  }

  /** Plaintext megabytes (10^6 bytes) per second over all recorded runs; 0 before any. */
  get averageThroughputMbps(): number {
    return this.totalDurationMs > 0 ? this.totalPlaintextBytes / 1e6 / (this.totalDurationMs / 1000) : 0;
  }

  /** Overall plaintext ÷ framed bytes; 0 before any. */
  get averageCompressionRatio(): number {
    return this.totalFramedBytes > 0 ? this.totalPlaintextBytes / this.totalFramedBytes : 0;
  }

  reset(): void {
    this.totalOperations = 0;
    this.processOperations = 0;
    this.reverseOperations = 0;
    this.totalPlaintextBytes = 0;
    this.totalFramedBytes = 0;
    this.totalDurationMs = 0;
    this.errors = 0;
    for (const name of Object.keys(this.algorithmUsage)) delete this.algorithmUsage[name];
  }

  toJSON(): Record<string, unknown> {
    return {
      totalOperations: this.totalOperations,
      processOperations: this.processOperations,
      reverseOperations: this.reverseOperations,
      totalPlaintextBytes: this.totalPlaintextBytes,
      totalFramedBytes: this.totalFramedBytes,
      totalDurationMs: this.totalDurationMs,
      errors: this.errors,
      averageThroughputMbps: this.averageThroughputMbps,
      averageCompressionRatio: this.averageCompressionRatio,
      algorithmUsage: { ...this.algorithmUsage },
    };
  }
}
