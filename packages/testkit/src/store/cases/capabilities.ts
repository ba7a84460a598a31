import { expect } from "vitest";
import type { ConformanceCase } from "../case.js";

const CAPABILITY_KEYS = [
  "conditionalWrites",
  "serverSideQuery",
  "nativeTtl",
  "nativeVersions",
  "streaming",
  "persistent",
  "multiProcess",
] as const;

export const capabilityCases: ConformanceCase[] = [
  {
    group: "capabilities",
    name: "names its backend and declares every capability as a boolean",
    async run({ harness }) {
      const store = await harness.open();
      expect(typeof store.backend).toBe("string");
      expect(store.backend.length).toBeGreaterThan(0);
      for (const key of CAPABILITY_KEYS) {
        expect(typeof store.capabilities[key], `capabilities.${key}`).toBe("boolean");
      }
    },
  },
  {
    group: "capabilities",
    name: "declares the capabilities the suite expects",
    async run({ harness, options, skip }) {
      const expected = Object.entries(options.capabilities);
      if (expected.length === 0) skip("no expected capabilities were given");
      const store = await harness.open();
      for (const [key, value] of expected) {
        expect(store.capabilities[key as keyof typeof store.capabilities], `capabilities.${key}`).toBe(value);
      }
    },
  },
];
