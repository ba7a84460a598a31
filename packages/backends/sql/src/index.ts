import { registerStore } from "@truthound/store-core";
import type { SqlStoreOptions } from "./options.js";
import { SqlStore } from "./sql-store.js";

export type { PoolMetrics, SqlDatabase } from "./connection.js";
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from "./migrations.js";
export type { CircuitBreakerSettings, SqlStoreOptions } from "./options.js";
export { type SchemaNames, schemaNames } from "./schema.js";
export { classifySqlError, toSqlStoreError } from "./sql-errors.js";
export { type SqlPoolMetrics, SqlStore } from "./sql-store.js";

registerStore("database", (options) => new SqlStore(options as SqlStoreOptions), {
  packageName: "@truthound/store-sql",
  description: "PostgreSQL (node-postgres) or embedded PGlite through drizzle-orm",
  aliases: ["db", "sql"],
});
