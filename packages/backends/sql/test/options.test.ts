import { getStore, isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { SqlStore, type SqlStoreOptions } from "../src/index.js";

const URL_ = "postgres://user:secret@127.0.0.1:5432/db";

function configurationError(options: unknown): { field?: unknown; message: string } {
  try {
    new SqlStore(options as SqlStoreOptions);
  } catch (error) {
    expect(isStoreError(error, "CONFIGURATION"), String(error)).toBe(true);
    return {
      field: (error as { details: { field?: unknown } }).details.field,
      message: (error as Error).message,
    };
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe("SqlStore options", () => {
  it("rejects unknown and mistyped options, naming the field", () => {
    expect(configurationError({ connection_url: URL_ }).field).toBe("connection_url");
    expect(configurationError({ usePoolManager: true }).field).toBe("usePoolManager");
    expect(configurationError({ connectionUrl: URL_, poolSize: "5" }).field).toBe("poolSize");
    expect(configurationError({ connectionUrl: URL_, poolSize: 0 }).field).toBe("poolSize");
    expect(configurationError({ connectionUrl: URL_, maxOverflow: 1.5 }).field).toBe("maxOverflow");
    expect(configurationError({ connectionUrl: URL_, poolTimeout: 0 }).field).toBe("poolTimeout");
    expect(configurationError({ connectionUrl: URL_, maxRetries: -1 }).field).toBe("maxRetries");
    expect(configurationError({ circuitBreaker: { threshold: 3 } }).field).toBe("circuitBreaker");
    expect(configurationError({ healthCheckInterval: 0 }).field).toBe("healthCheckInterval");
  });

  it("accepts only PostgreSQL URLs, including SQLAlchemy's postgresql+driver form", () => {
    expect(configurationError({ connectionUrl: "sqlite:///.truthound/store.db" }).message).toContain(
      "sqlite",
    );
    expect(configurationError({ connectionUrl: "mysql+pymysql://u:p@h/db" }).field).toBe("connectionUrl");
    expect(configurationError({ connectionUrl: "not a url" }).field).toBe("connectionUrl");
    expect(() => new SqlStore({ connectionUrl: "postgresql+psycopg2://u:p@h/db" })).not.toThrow();
    expect(() => new SqlStore({ connectionUrl: "postgres://u:p@h/db" })).not.toThrow();
  });

  it("pool options need a server; embedded-only options need no server", () => {
    for (const field of [
      "poolSize",
      "maxOverflow",
      "poolTimeout",
      "poolRecycle",
      "poolPrePing",
      "poolPrePingAfterIdle",
    ]) {
      const value = field === "poolPrePing" ? true : 2;
      expect(configurationError({ [field]: value }).field).toBe(field);
    }
    expect(configurationError({ connectionUrl: URL_, dataDir: "/tmp/x" }).field).toBe("dataDir");
  });

  it("validates namespace and tablePrefix as identifiers-safe names", () => {
    expect(configurationError({ namespace: "a b" }).field).toBe("namespace");
    expect(configurationError({ namespace: "" }).field).toBe("namespace");
    expect(configurationError({ tablePrefix: "Team" }).field).toBe("tablePrefix");
    expect(configurationError({ tablePrefix: "1x" }).field).toBe("tablePrefix");
    expect(configurationError({ tablePrefix: "a".repeat(21) }).field).toBe("tablePrefix");
    expect(new SqlStore({ tablePrefix: "team_a_" }).tableName).toBe("team_a_validation_results");
  });

  it("declares capabilities from the mode", () => {
    const server = new SqlStore({ connectionUrl: URL_ });
    expect(server.capabilities).toMatchObject({
      persistent: true,
      multiProcess: true,
      conditionalWrites: true,
      serverSideQuery: true,
    });
    expect(new SqlStore().capabilities).toMatchObject({ persistent: false, multiProcess: false });
    expect(new SqlStore({ dataDir: "/tmp/x" }).capabilities.persistent).toBe(true);
  });

  it("getPoolStatus before initialize never shows the password", () => {
    const status = new SqlStore({ connectionUrl: URL_ }).getPoolStatus();
    expect(JSON.stringify(status)).not.toContain("secret");
    expect(status).toMatchObject({ driver: "pg", initialized: false, healthy: false });
  });

  it("registers as 'database' with the aliases 'db' and 'sql'", async () => {
    for (const name of ["database", "db", "sql", "SQL"]) {
      const store = await getStore(name, { connectionUrl: URL_ });
      expect(store).toBeInstanceOf(SqlStore);
      expect(store.backend).toBe("database");
    }
    const error = await getStore("db", { poolSize: 3 }).catch((e: unknown) => e);
    expect(isStoreError(error, "CONFIGURATION")).toBe(true);
  });
});
