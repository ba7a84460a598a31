import { describeServerRestart } from "@truthound/test-support";
import { AzureBlobStore } from "../src/index.js";
import { azurite, createContainer, requireAzurite } from "./helpers/azurite.js";

// Stops the shared Azurite: kept in a file of its own; the package's files run one at a time.
describeServerRestart("AzureBlobStore when Azurite goes away", {
  available: azurite !== undefined,
  service: "azurite",
  async server() {
    const { name: container, drop } = await createContainer(requireAzurite(), "faults");
    return {
      open: (deadlineMs) =>
        new AzureBlobStore({
          connectionString: requireAzurite().connectionString,
          container,
          namespace: "faults",
          operationTimeoutMs: deadlineMs,
          // The SDK's own retries must end before the deadline, so the caller sees the cause, not a timeout.
          retryOptions: { maxTries: 3, retryDelayInMs: 100, maxRetryDelayInMs: 500, tryTimeoutInMs: 2_000 },
        }),
      dispose: drop,
    };
  },
  extraOperations: (store) => [() => store.setAccessTier("before", "Cool")],
});
