import type { Clock, Scheduler, TimerHandle } from "@truthound/store-core";
import type { ResolvedSchedule } from "./options.js";

export interface SchedulerStatus {
  running: boolean;
  /** A cleanup started by the scheduler is in progress. */
  busy: boolean;
  lastRunAt: Date | undefined;
  nextCheckAt: Date | undefined;
}

/**
 * Checks on the injected scheduler whether a cleanup is due (interval elapsed, and the UTC hour and day allowed)
 * and starts it on its own timer, never inside a caller's operation.
 */
export class RetentionScheduler {
  #timer: TimerHandle | undefined;
  #nextCheckAt: number | undefined;
  #lastRunAt: number | undefined;
  #busy = false;

  constructor(
    private readonly schedule: ResolvedSchedule,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly run: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** The first cleanup is due one interval after the start, not at the start. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#lastRunAt ??= this.clock.now();
    this.#arm();
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#nextCheckAt = undefined;
  }

  status(): SchedulerStatus {
    return {
      running: this.running,
      busy: this.#busy,
      lastRunAt: this.#lastRunAt === undefined ? undefined : new Date(this.#lastRunAt),
      nextCheckAt: this.#nextCheckAt === undefined ? undefined : new Date(this.#nextCheckAt),
    };
  }

  isDue(nowMs: number): boolean {
    if (this.#lastRunAt !== undefined && nowMs - this.#lastRunAt < this.schedule.intervalMs) return false;
    const now = new Date(nowMs);
    if (this.schedule.runAtHour !== undefined && now.getUTCHours() !== this.schedule.runAtHour) return false;
    if (this.schedule.runOnDays !== undefined && !this.schedule.runOnDays.includes(now.getUTCDay()))
      return false;
    return true;
  }

  #arm(): void {
    this.#nextCheckAt = this.clock.now() + this.schedule.checkIntervalMs;
    this.#timer = this.scheduler.setTimeout(() => this.#check(), this.schedule.checkIntervalMs);
  }

  #check(): void {
    if (this.#timer === undefined) return;
    const now = this.clock.now();
    if (!this.#busy && this.isDue(now)) {
      this.#busy = true;
      this.#lastRunAt = now;
      this.run()
        .catch((error: unknown) => this.onError(error))
        .finally(() => {
          this.#busy = false;
        });
    }
    this.#arm();
  }
}
