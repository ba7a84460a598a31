import { InvalidArgumentError } from "../errors.js";
import { isPlainObject } from "../model/json.js";
import { parseInstant } from "../model/timestamp.js";
import { RESULT_STATUSES } from "../model/validation-result.js";

export const ORDER_BY_FIELDS = ["runTime", "dataAsset", "status"] as const;
export type OrderByField = (typeof ORDER_BY_FIELDS)[number];

/** The seeds' query parameters in camelCase, plus an opaque `cursor` for stable pagination. */
export interface StoreQuery {
  dataAsset?: string;
  /** Inclusive lower bound on the run time. */
  startTime?: Date | string | number;
  /** Inclusive upper bound on the run time. */
  endTime?: Date | string | number;
  status?: string;
  /** Every tag given must be present with exactly this value. */
  tags?: Record<string, string>;
  limit?: number;
  offset?: number;
  orderBy?: OrderByField;
  /** Default false: newest (or greatest) first. */
  ascending?: boolean;
  /** From a previous page's `nextCursor`; continues after the last item of that page. */
  cursor?: string;
}

/** A validated query with times as epoch milliseconds. Every backend works from this. */
export interface NormalizedQuery {
  dataAsset: string | undefined;
  startMs: number | undefined;
  endMs: number | undefined;
  status: string | undefined;
  tags: Record<string, string>;
  limit: number | undefined;
  offset: number;
  orderBy: OrderByField;
  ascending: boolean;
  /** The sort key after which results continue (from the cursor). */
  after: SortKey | undefined;
}

/** `[primary, runTimeMs, id]`; for `orderBy: "runTime"` primary is the run time itself. */
export type SortKey = [string | number, number, string];

const QUERY_KEYS = new Set([
  "dataAsset",
  "startTime",
  "endTime",
  "status",
  "tags",
  "limit",
  "offset",
  "orderBy",
  "ascending",
  "cursor",
]);

function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`query.${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function time(value: unknown, name: string): number {
  if (!(value instanceof Date) && typeof value !== "string" && typeof value !== "number") {
    throw new InvalidArgumentError(`query.${name} must be a Date, ISO string or epoch milliseconds`);
  }
  try {
    return parseInstant(value).ms;
  } catch (cause) {
    throw new InvalidArgumentError(`query.${name} is not a valid time: ${String(value)}`, { cause });
  }
}

export function normalizeQuery(query: StoreQuery | undefined = {}): NormalizedQuery {
  if (!isPlainObject(query)) throw new InvalidArgumentError("query must be an object");
  for (const key of Object.keys(query)) {
    if (!QUERY_KEYS.has(key)) throw new InvalidArgumentError(`Unknown query parameter: ${key}`);
  }
  const q = query as StoreQuery;
  const orderBy = q.orderBy ?? "runTime";
  if (!(ORDER_BY_FIELDS as readonly string[]).includes(orderBy)) {
    throw new InvalidArgumentError(
      `query.orderBy must be one of ${ORDER_BY_FIELDS.join(", ")}, got ${JSON.stringify(orderBy)}`,
    );
  }
  if (q.ascending !== undefined && typeof q.ascending !== "boolean") {
    throw new InvalidArgumentError("query.ascending must be a boolean");
  }
  if (q.dataAsset !== undefined && typeof q.dataAsset !== "string") {
    throw new InvalidArgumentError("query.dataAsset must be a string");
  }
  if (q.status !== undefined && !(RESULT_STATUSES as readonly string[]).includes(q.status)) {
    throw new InvalidArgumentError(`query.status must be one of ${RESULT_STATUSES.join(", ")}`);
  }
  const tags: Record<string, string> = {};
  if (q.tags !== undefined) {
    if (!isPlainObject(q.tags)) throw new InvalidArgumentError("query.tags must be an object of strings");
    for (const [k, v] of Object.entries(q.tags)) {
      if (typeof v !== "string") throw new InvalidArgumentError(`query.tags.${k} must be a string`);
      tags[k] = v;
    }
  }
  const ascending = q.ascending ?? false;
  const normalized: NormalizedQuery = {
    dataAsset: q.dataAsset,
    startMs: q.startTime === undefined ? undefined : time(q.startTime, "startTime"),
    endMs: q.endTime === undefined ? undefined : time(q.endTime, "endTime"),
    status: q.status,
    tags,
    limit: q.limit === undefined ? undefined : nonNegativeInteger(q.limit, "limit"),
    offset: q.offset === undefined ? 0 : nonNegativeInteger(q.offset, "offset"),
    orderBy,
    ascending,
    after: undefined,
  };
  if (q.cursor !== undefined) normalized.after = decodeCursor(q.cursor, orderBy, ascending);
  return normalized;
}

interface CursorBody {
  v: 1;
  o: OrderByField;
  a: boolean;
  k: SortKey;
}

export function encodeCursor(key: SortKey, orderBy: OrderByField, ascending: boolean): string {
  const body: CursorBody = { v: 1, o: orderBy, a: ascending, k: key };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

export function decodeCursor(cursor: unknown, orderBy: OrderByField, ascending: boolean): SortKey {
  if (typeof cursor !== "string" || cursor.length === 0 || cursor.length > 4096) {
    throw new InvalidArgumentError("query.cursor must be a cursor string returned by a previous page");
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (cause) {
    throw new InvalidArgumentError("query.cursor is malformed", { cause });
  }
  const b = body as Partial<CursorBody>;
  const key = b.k;
  if (
    !isPlainObject(body) ||
    b.v !== 1 ||
    !Array.isArray(key) ||
    key.length !== 3 ||
    (typeof key[0] !== "string" && typeof key[0] !== "number") ||
    typeof key[1] !== "number" ||
    typeof key[2] !== "string"
  ) {
    throw new InvalidArgumentError("query.cursor is malformed");
  }
  if (b.o !== orderBy || b.a !== ascending) {
    throw new InvalidArgumentError("query.cursor belongs to a query with a different orderBy or ascending");
  }
  return key as SortKey;
}
