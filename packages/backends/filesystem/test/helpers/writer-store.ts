import type { StoreRecipe } from "@truthound/test-support";

/** The store a writer process opens: the built package (run `tsc -b` first), namespace "mp". */
export function writerStore(basePath: string, layout: "native" | "python"): StoreRecipe {
  return {
    module: new URL("../../dist/index.js", import.meta.url).href,
    exportName: "FileSystemStore",
    options: { basePath, layout, namespace: "mp" },
  };
}
