import { ExpectationSuite } from "./expectation-suite.js";
import { ValidationResult } from "./validation-result.js";

/** What a store's index knows about a document: the fields queries filter and sort on. */
export interface IndexEntry {
  id: string;
  dataAsset: string;
  /** Run time in milliseconds since the epoch. */
  runTimeMs: number;
  status: string;
  tags: Record<string, string>;
}

/** How a store turns its item type into a JSON document and an index entry, and back. */
export interface ItemAdapter<T> {
  /** Name used in errors, e.g. "ValidationResult". */
  readonly itemType: string;
  idOf(item: T): string;
  toDocument(item: T): Record<string, unknown>;
  fromDocument(document: unknown): T;
  entryOf(item: T): IndexEntry;
  /** Copies an item through its JSON form, so the caller and the store never share mutable state. */
  clone(item: T): T;
}

export const validationResultAdapter: ItemAdapter<ValidationResult> = {
  itemType: "ValidationResult",
  idOf: (item) => item.runId,
  toDocument: (item) => item.toDict(),
  fromDocument: (document) => ValidationResult.fromDict(document),
  entryOf: (item) => ({
    id: item.runId,
    dataAsset: item.dataAsset,
    runTimeMs: item.runTime.getTime(),
    status: item.status,
    tags: { ...item.tags },
  }),
  clone: (item) => ValidationResult.fromDict(JSON.parse(JSON.stringify(item.toDict()))),
};

/** Expectation suites: id is the suite name, time is `updatedAt`, status is always "success". */
export const expectationSuiteAdapter: ItemAdapter<ExpectationSuite> = {
  itemType: "ExpectationSuite",
  idOf: (item) => item.name,
  toDocument: (item) => item.toDict(),
  fromDocument: (document) => ExpectationSuite.fromDict(document),
  entryOf: (item) => ({
    id: item.name,
    dataAsset: item.dataAsset,
    runTimeMs: item.updatedAt.getTime(),
    status: "success",
    tags: { ...item.tags },
  }),
  clone: (item) => ExpectationSuite.fromDict(JSON.parse(JSON.stringify(item.toDict()))),
};
