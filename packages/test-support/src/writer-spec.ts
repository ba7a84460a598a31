/** A store a writer process builds: `new (await import(module))[exportName](options)`. */
export interface StoreRecipe {
  /** A module URL or path the child can import, e.g. the backend's built `dist/index.js`. */
  module: string;
  exportName: string;
  options: Record<string, unknown>;
}

/** Saves `saves` ids `<writer>-<i>` (`concurrency` at a time), then overwrites `shared` ids `shared-<i>`, then exits. */
export interface BulkWriterSpec {
  mode: "bulk";
  store: StoreRecipe;
  writer: string;
  saves: number;
  shared: number;
  concurrency: number;
}

/** Saves, overwrites and deletes forever, printing "ready" after its first operation (to be killed). */
export interface ChaosWriterSpec {
  mode: "chaos";
  store: StoreRecipe;
}

export type WriterSpec = BulkWriterSpec | ChaosWriterSpec;

/** The environment variable that carries the JSON WriterSpec (kept off the command line: it holds credentials). */
export const WRITER_SPEC_ENV = "TRUTHOUND_TEST_WRITER_SPEC";
