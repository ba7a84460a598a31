import { randomBytes } from "node:crypto";
import pg from "pg";
import { serviceEnvironment } from "../../../../../scripts/lib/services.mjs";

/** The PostgreSQL of `scripts/services/start.sh postgres`; missing, tests skip locally and fail under CI=true. */
export const postgresUrl: string | undefined =
  (await serviceEnvironment()).TRUTHOUND_TEST_POSTGRES_URL || undefined;
if (postgresUrl === undefined && process.env.CI === "true") {
  throw new Error(
    "TRUTHOUND_TEST_POSTGRES_URL is not set under CI=true: run scripts/services/start.sh postgres and source .cache/services.env",
  );
}

export function requirePostgres(): string {
  if (postgresUrl === undefined) throw new Error("TRUTHOUND_TEST_POSTGRES_URL is not set");
  return postgresUrl;
}

/** The server URL pointed at another database. */
export function urlForDatabase(database: string): string {
  const url = new URL(requirePostgres());
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  /** A plain pg client on the database, for looking behind the store's back. */
  admin(): Promise<pg.Client>;
  drop(): Promise<void>;
}

/** A new database for one test file, so files never see each other's tables. */
export async function createDatabase(label: string): Promise<TestDatabase> {
  const name = `tt_${label}_${randomBytes(4).toString("hex")}`;
  const server = new pg.Client({ connectionString: requirePostgres() });
  await server.connect();
  try {
    await server.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await server.end();
  }
  const url = urlForDatabase(name);
  const clients: pg.Client[] = [];
  return {
    name,
    url,
    async admin() {
      const client = new pg.Client({ connectionString: url });
      // Tests terminate backends on purpose; a terminated admin client must not crash the run.
      client.on("error", () => undefined);
      await client.connect();
      clients.push(client);
      return client;
    },
    async drop() {
      for (const client of clients) await client.end().catch(() => undefined);
      const admin = new pg.Client({ connectionString: requirePostgres() });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
