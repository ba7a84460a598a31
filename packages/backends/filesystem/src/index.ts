import { registerStore } from "@truthound/store-core";
import { FileSystemStore } from "./filesystem-store.js";
import type { FileSystemStoreOptions } from "./options.js";

export { FileSystemStore } from "./filesystem-store.js";
export type { IndexProblem, IndexStatus, RebuildReport } from "./layout.js";
export type { FileSystemDurability, FileSystemLayout, FileSystemStoreOptions } from "./options.js";

registerStore("filesystem", (options) => new FileSystemStore(options as FileSystemStoreOptions), {
  packageName: "@truthound/store-filesystem",
  description: "Files on a local filesystem, crash-safe, multi-process index, Truthound-py layout compatible",
});
