// Types for scripts/lib/services.mjs, so TypeScript tests can import it.

/** The test servers scripts/services/start.sh runs. */
export type TestServiceName = "minio" | "fake_gcs" | "azurite" | "postgres" | "redis" | "toxiproxy";

/** Stops the service's processes; its port, credentials and data are kept for startService. */
export function stopService(name: TestServiceName): Promise<void>;

/** Starts a service stopped by stopService again and resolves once it answers real requests. */
export function startService(name: TestServiceName): Promise<void>;

/** stopService, then startService. */
export function restartService(name: TestServiceName): Promise<void>;

/** The TRUTHOUND_TEST_* variables, from process.env and .cache/services.env. */
export function serviceEnvironment(): Promise<Record<string, string>>;
