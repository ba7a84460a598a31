import { Storage, type StorageOptions } from "@google-cloud/storage";
import { DEFAULT_MAX_RETRIES, type GCSStoreOptions } from "./options.js";

/** The client the options describe. Unset settings come from the SDK's environment (ADC, project detection). */
export function createGCSClient(options: GCSStoreOptions<unknown>): Storage {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const config: StorageOptions = {
    retryOptions: { autoRetry: maxRetries > 0, maxRetries },
  };
  if (options.project !== undefined) config.projectId = options.project;
  if (options.credentialsPath !== undefined) config.keyFilename = options.credentialsPath;
  if (options.apiEndpoint !== undefined) {
    config.apiEndpoint = options.apiEndpoint;
    // The SDK skips authentication for custom endpoints (emulators) unless told otherwise; a key file says so.
    config.useAuthWithCustomEndpoint = options.credentialsPath !== undefined;
  }
  // Requests the store's deadline gave up on do not linger beyond it.
  if (options.operationTimeoutMs !== undefined) config.timeout = options.operationTimeoutMs;
  return new Storage(config);
}
