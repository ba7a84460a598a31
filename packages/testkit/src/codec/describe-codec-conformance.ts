import { describe, it } from "vitest";
import {
  type CodecFactory,
  checkChainRoundTrip,
  checkCorruptionFailsTyped,
  checkDeclaredAuthentication,
  checkEmptyRoundTrip,
  checkEveryBitFlipDetected,
  checkHeaderChangeDetected,
  checkLargeRoundTrip,
  checkRandomBitFlipDetected,
  checkRandomRoundTrip,
  checkStreamRoundTrip,
} from "./codec-checks.js";

export interface CodecConformanceOptions {
  /** The codec claims to detect any change to its output or to the header (AEAD). */
  authenticated: boolean;
  /** Runs of each property test. Default 50. */
  propertyRuns?: number;
  /** Size of the large round trip. Default 1 MiB. */
  largeBytes?: number;
  seed?: number;
  /** Timeout of each test in ms. Default 60,000. */
  testTimeoutMs?: number;
}

/** Registers the codec conformance suite with vitest. `codecFactory` builds a codec with fixed keys and settings. */
export function describeCodecConformance(
  name: string,
  codecFactory: CodecFactory,
  options: CodecConformanceOptions,
): void {
  if (typeof options?.authenticated !== "boolean") {
    throw new TypeError("describeCodecConformance: options.authenticated (boolean) is required");
  }
  const runs = options.propertyRuns ?? 50;
  const largeBytes = options.largeBytes ?? 1024 * 1024;
  const timeout = options.testTimeoutMs ?? 60_000;
  const { seed } = options;
  describe(`${name}: codec conformance`, () => {
    it(`declares authenticated: ${options.authenticated}, an id and a version`, () =>
      checkDeclaredAuthentication(codecFactory, options.authenticated));
    it(
      "round-trips random data (property-based)",
      () => checkRandomRoundTrip(codecFactory, runs, seed),
      timeout,
    );
    it(
      `round-trips a ${largeBytes}-byte buffer`,
      () => checkLargeRoundTrip(codecFactory, largeBytes),
      timeout,
    );
    it("round-trips empty input", () => checkEmptyRoundTrip(codecFactory));
    it(
      "round-trips inside a codec chain, decoded by another instance",
      () => checkChainRoundTrip(codecFactory),
      timeout,
    );
    it(
      "round-trips through its streaming forms, if it has them",
      async (context) => {
        if (!(await checkStreamRoundTrip(codecFactory, largeBytes)))
          context.skip("the codec has no streaming forms");
      },
      timeout,
    );
    if (options.authenticated) {
      it(
        "fails with INTEGRITY on every single-bit flip of its output",
        () => checkEveryBitFlipDetected(codecFactory),
        timeout,
      );
      it(
        "fails with INTEGRITY on a random bit flip of random data (property-based)",
        () => checkRandomBitFlipDetected(codecFactory, runs, seed),
        timeout,
      );
      it(
        "fails with INTEGRITY when the header (AAD) changes",
        () => checkHeaderChangeDetected(codecFactory),
        timeout,
      );
    } else {
      it(
        "reports corrupt or truncated input only as typed StoreErrors (property-based)",
        () => checkCorruptionFailsTyped(codecFactory, runs, seed),
        timeout,
      );
    }
  });
}
