import { randomBytes } from "node:crypto";
import type { Store, ValidationResult } from "@truthound/store-core";
import type { ConformanceStoreFactory, ResolvedConformanceOptions } from "./options.js";

/** Opens stores for one test and closes them afterwards, whatever the test did. */
export class ConformanceHarness {
  readonly options: ResolvedConformanceOptions;
  readonly #factory: ConformanceStoreFactory;
  readonly #opened: Store<ValidationResult>[] = [];
  readonly #namespaces: string[] = [];

  constructor(factory: ConformanceStoreFactory, options: ResolvedConformanceOptions) {
    this.#factory = factory;
    this.options = options;
  }

  /** A namespace no other test uses. */
  newNamespace(): string {
    const namespace = `tk-${randomBytes(6).toString("hex")}`;
    this.#namespaces.push(namespace);
    return namespace;
  }

  /** A store on `namespace` (a fresh one when omitted). */
  async open(namespace: string = this.newNamespace()): Promise<Store<ValidationResult>> {
    const store = await this.#factory({ namespace });
    this.#opened.push(store);
    return store;
  }

  /** Closes every store this test opened and runs the user's cleanup. Close errors are reported, not hidden. */
  async dispose(): Promise<void> {
    const stores = this.#opened.splice(0);
    const results = await Promise.allSettled(stores.map((store) => store.close()));
    const namespaces = this.#namespaces.splice(0);
    if (this.options.cleanup) await this.options.cleanup(namespaces);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) throw failure.reason;
  }
}
