import { StoreConflictError } from "@truthound/store-core";

/** `expectedVersion` (or `ifMatch`) did not match the latest version when the save tried to commit. */
export class VersionConflictError extends StoreConflictError {
  readonly itemId: string;
  readonly expectedVersion: string | null;
  readonly actualVersion: string | null;

  constructor(itemId: string, expected: string | null, actual: string | null, backend: string) {
    super(
      `Version conflict on ${itemId}: expected ${expected ?? "no version"}, latest is ${actual ?? "no version"}`,
      { backend, id: itemId, details: { expectedVersion: expected, actualVersion: actual } },
    );
    this.name = "VersionConflictError";
    this.itemId = itemId;
    this.expectedVersion = expected;
    this.actualVersion = actual;
  }
}
