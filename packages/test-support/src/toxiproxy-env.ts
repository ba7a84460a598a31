/** Toxiproxy from `scripts/services/start.sh toxiproxy`; missing, it skips locally and fails under CI=true. */
export const toxiproxyUrl: string | undefined = process.env.TRUTHOUND_TEST_TOXIPROXY_URL || undefined;
if (toxiproxyUrl === undefined && process.env.CI === "true") {
  throw new Error(
    "TRUTHOUND_TEST_TOXIPROXY_URL is not set under CI=true: run scripts/services/start.sh toxiproxy and source .cache/services.env",
  );
}
