import { StoreSerializationError } from "../errors.js";
import { extraKeys, isPlainObject } from "./json.js";
import { formatInstant, type Instant, parseInstant } from "./timestamp.js";

export interface ExpectationInit {
  expectationType: string;
  column?: string | null;
  kwargs?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  enabled?: boolean;
  mostly?: number;
  extra?: Record<string, unknown>;
}

const EXPECTATION_KEYS = ["expectation_type", "column", "kwargs", "meta", "enabled", "mostly"] as const;

export class Expectation {
  expectationType: string;
  column: string | null;
  kwargs: Record<string, unknown>;
  meta: Record<string, unknown>;
  enabled: boolean;
  mostly: number;
  extra: Record<string, unknown>;

  constructor(init: ExpectationInit) {
    this.expectationType = init.expectationType;
    this.column = init.column ?? null;
    this.kwargs = init.kwargs ?? {};
    this.meta = init.meta ?? {};
    this.enabled = init.enabled ?? true;
    this.mostly = init.mostly ?? 1;
    this.extra = init.extra ?? {};
  }

  toDict(): Record<string, unknown> {
    return {
      expectation_type: this.expectationType,
      column: this.column,
      kwargs: this.kwargs,
      meta: this.meta,
      enabled: this.enabled,
      mostly: this.mostly,
      ...this.extra,
    };
  }

  static fromDict(data: unknown): Expectation {
    if (!isPlainObject(data) || typeof data.expectation_type !== "string") {
      throw new StoreSerializationError("expectation: 'expectation_type' is required and must be a string");
    }
    return new Expectation({
      expectationType: data.expectation_type,
      column: typeof data.column === "string" ? data.column : null,
      kwargs: isPlainObject(data.kwargs) ? data.kwargs : {},
      meta: isPlainObject(data.meta) ? data.meta : {},
      enabled: typeof data.enabled === "boolean" ? data.enabled : true,
      mostly: typeof data.mostly === "number" ? data.mostly : 1,
      extra: extraKeys(data, EXPECTATION_KEYS),
    });
  }
}

export interface ExpectationSuiteInit {
  name: string;
  dataAsset: string;
  expectations?: Expectation[];
  meta?: Record<string, unknown>;
  createdAt?: Date | string | number;
  updatedAt?: Date | string | number;
  tags?: Record<string, string>;
  extra?: Record<string, unknown>;
}

const SUITE_KEYS = [
  "name",
  "data_asset",
  "expectations",
  "meta",
  "created_at",
  "updated_at",
  "tags",
] as const;

/** A named set of expectations for one data asset. Its id is its `name`. */
export class ExpectationSuite {
  name: string;
  dataAsset: string;
  expectations: Expectation[];
  meta: Record<string, unknown>;
  tags: Record<string, string>;
  extra: Record<string, unknown>;
  #createdAt: Instant;
  #updatedAt: Instant;

  constructor(init: ExpectationSuiteInit) {
    const now = new Date();
    this.name = init.name;
    this.dataAsset = init.dataAsset;
    this.expectations = init.expectations ?? [];
    this.meta = init.meta ?? {};
    this.tags = init.tags ?? {};
    this.extra = init.extra ?? {};
    this.#createdAt = parseInstant(init.createdAt ?? now);
    this.#updatedAt = parseInstant(init.updatedAt ?? now);
  }

  static create(name: string, dataAsset: string, expectations: ExpectationInit[] = []): ExpectationSuite {
    return new ExpectationSuite({
      name,
      dataAsset,
      expectations: expectations.map((e) => new Expectation(e)),
    });
  }

  get id(): string {
    return this.name;
  }

  get createdAt(): Date {
    return new Date(this.#createdAt.ms);
  }

  get updatedAt(): Date {
    return new Date(this.#updatedAt.ms);
  }

  set updatedAt(value: Date | string | number) {
    this.#updatedAt = parseInstant(value);
  }

  addExpectation(expectation: Expectation): void {
    this.expectations.push(expectation);
    this.#updatedAt = parseInstant(new Date());
  }

  toDict(): Record<string, unknown> {
    return {
      name: this.name,
      data_asset: this.dataAsset,
      expectations: this.expectations.map((e) => e.toDict()),
      meta: this.meta,
      created_at: formatInstant(this.#createdAt),
      updated_at: formatInstant(this.#updatedAt),
      tags: this.tags,
      ...this.extra,
    };
  }

  static fromDict(data: unknown): ExpectationSuite {
    if (!isPlainObject(data)) throw new StoreSerializationError("An expectation suite must be a JSON object");
    if (typeof data.name !== "string" || typeof data.data_asset !== "string") {
      throw new StoreSerializationError("expectation suite: 'name' and 'data_asset' are required strings");
    }
    const expectations = data.expectations ?? [];
    if (!Array.isArray(expectations))
      throw new StoreSerializationError("expectation suite: 'expectations' must be a list");
    const suite = new ExpectationSuite({
      name: data.name,
      dataAsset: data.data_asset,
      expectations: expectations.map((e) => Expectation.fromDict(e)),
      meta: isPlainObject(data.meta) ? data.meta : {},
      tags: isPlainObject(data.tags) ? (data.tags as Record<string, string>) : {},
      extra: extraKeys(data, SUITE_KEYS),
    });
    if (typeof data.created_at === "string") suite.#createdAt = parseInstant(data.created_at);
    if (typeof data.updated_at === "string") suite.#updatedAt = parseInstant(data.updated_at);
    return suite;
  }
}
