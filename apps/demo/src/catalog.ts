import type { ResultStatus } from "@truthound/store-core";

export type ColumnKind = "id" | "string" | "email" | "number" | "date" | "category" | "boolean";

export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
}

/** A data asset the demo pretends to validate: its columns, size, suite and how healthy it usually is. */
export interface AssetProfile {
  name: string;
  columns: readonly ColumnProfile[];
  /** Rows per run, as [min, max]. */
  rows: readonly [number, number];
  /** Validators per run (the asset's suite size), 50-200. */
  suiteSize: number;
  /** Relative weights of the run outcomes. */
  statusWeights: ReadonlyArray<readonly [ResultStatus, number]>;
  team: string;
  source: string;
}

const col = (name: string, kind: ColumnKind): ColumnProfile => ({ name, kind });

export const DEFAULT_ASSETS: readonly AssetProfile[] = [
  {
    name: "customers.csv",
    columns: [
      col("customer_id", "id"),
      col("email", "email"),
      col("first_name", "string"),
      col("last_name", "string"),
      col("phone", "string"),
      col("country", "category"),
      col("signup_date", "date"),
      col("lifetime_value", "number"),
      col("age", "number"),
      col("segment", "category"),
      col("is_active", "boolean"),
      col("updated_at", "date"),
    ],
    rows: [118_000, 131_000],
    suiteSize: 84,
    statusWeights: [
      ["success", 55],
      ["warning", 15],
      ["failure", 25],
      ["error", 5],
    ],
    team: "crm",
    source: "sftp://partners/customers.csv",
  },
  {
    name: "orders.parquet",
    columns: [
      col("order_id", "id"),
      col("customer_id", "id"),
      col("order_date", "date"),
      col("ship_date", "date"),
      col("amount", "number"),
      col("currency", "category"),
      col("order_status", "category"),
      col("discount", "number"),
      col("quantity", "number"),
      col("sku", "string"),
      col("warehouse_id", "category"),
      col("payment_method", "category"),
      col("coupon_code", "string"),
      col("is_gift", "boolean"),
      col("created_at", "date"),
    ],
    rows: [950_000, 1_250_000],
    suiteSize: 150,
    statusWeights: [
      ["success", 70],
      ["warning", 12],
      ["failure", 15],
      ["error", 3],
    ],
    team: "commerce",
    source: "s3://lake/curated/orders/",
  },
  {
    name: "warehouse.public.payments",
    columns: [
      col("payment_id", "id"),
      col("order_id", "id"),
      col("amount", "number"),
      col("fee", "number"),
      col("currency", "category"),
      col("provider", "category"),
      col("card_country", "category"),
      col("authorized_at", "date"),
      col("settled_at", "date"),
      col("status", "category"),
      col("risk_score", "number"),
      col("payer_email", "email"),
      col("is_refund", "boolean"),
      col("reference", "string"),
      col("merchant_id", "id"),
      col("exchange_rate", "number"),
    ],
    rows: [2_400_000, 2_900_000],
    suiteSize: 200,
    statusWeights: [
      ["success", 80],
      ["warning", 8],
      ["failure", 10],
      ["error", 2],
    ],
    team: "finance",
    source: "postgresql://warehouse/public.payments",
  },
  {
    name: "events/clickstream.jsonl",
    columns: [
      col("event_id", "id"),
      col("session_id", "id"),
      col("user_id", "id"),
      col("event_type", "category"),
      col("url", "string"),
      col("referrer", "string"),
      col("ts", "date"),
      col("duration_ms", "number"),
      col("device", "category"),
    ],
    rows: [4_000_000, 6_500_000],
    suiteSize: 60,
    statusWeights: [
      ["success", 45],
      ["warning", 30],
      ["failure", 20],
      ["error", 5],
    ],
    team: "growth",
    source: "kafka://events.clickstream",
  },
  {
    name: "inventory.csv",
    columns: [
      col("sku", "id"),
      col("warehouse_id", "category"),
      col("on_hand", "number"),
      col("reserved", "number"),
      col("reorder_point", "number"),
      col("last_counted", "date"),
      col("supplier", "string"),
    ],
    rows: [18_000, 22_000],
    suiteSize: 50,
    statusWeights: [
      ["success", 65],
      ["warning", 15],
      ["failure", 18],
      ["error", 2],
    ],
    team: "ops",
    source: "sftp://erp/inventory.csv",
  },
  {
    name: "lake/raw/transactions",
    columns: [
      col("txn_id", "id"),
      col("account_id", "id"),
      col("amount", "number"),
      col("balance_after", "number"),
      col("currency", "category"),
      col("channel", "category"),
      col("posted_at", "date"),
      col("value_date", "date"),
      col("counterparty", "string"),
      col("iban", "string"),
      col("mcc", "category"),
      col("is_reversal", "boolean"),
    ],
    rows: [600_000, 800_000],
    suiteSize: 120,
    statusWeights: [
      ["success", 60],
      ["warning", 20],
      ["failure", 15],
      ["error", 5],
    ],
    team: "finance",
    source: "s3://lake/raw/transactions/",
  },
];
