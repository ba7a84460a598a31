import { describe, expect, it } from "vitest";
import { fromGcsPythonIndex, toGcsPythonIndex } from "../src/python-index-dialect.js";

const bytes = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));
const parse = (b: Uint8Array) => JSON.parse(Buffer.from(b).toString("utf8"));

describe("Truthound-py GCS index dialect (blob_name <-> key)", () => {
  const entry = { data_asset: "a.csv", run_time: "2024-01-01T00:00:00", status: "success", tags: {} };

  it("reads blob_name as key and writes key as blob_name, round-tripping", () => {
    const python = { r1: { ...entry, blob_name: "truthound/default/results/r1.json.gz" } };
    const read = parse(fromGcsPythonIndex(bytes(python)));
    expect(read.r1).toEqual({ ...entry, key: "truthound/default/results/r1.json.gz" });
    expect(parse(toGcsPythonIndex(bytes(read)))).toEqual(python);
  });

  it("leaves entries with both fields, non-object entries and unparseable bytes alone", () => {
    const both = { r1: { ...entry, key: "k", blob_name: "b" }, odd: 5 };
    expect(parse(fromGcsPythonIndex(bytes(both)))).toEqual(both);
    expect(parse(toGcsPythonIndex(bytes(both)))).toEqual(both);
    const junk = new Uint8Array(Buffer.from("{not json"));
    expect(fromGcsPythonIndex(junk)).toBe(junk);
    const list = bytes([1, 2]);
    expect(toGcsPythonIndex(list)).toBe(list);
  });
});
