import { describe, expect, it } from "vitest";
import { indexFromPython, indexToPython } from "../src/python-index-dialect.js";

const bytes = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));
const parse = (data: Uint8Array) => JSON.parse(Buffer.from(data).toString("utf8"));
const entry = { data_asset: "a.csv", run_time: "2024-01-01T00:00:00", status: "success", tags: {} };

describe("Truthound-py Azure index dialect (blob_name <-> key)", () => {
  it("reads blob_name as key and writes key as blob_name, round-tripping", () => {
    const python = { r1: { ...entry, blob_name: "truthound/default/results/r1.json.gz" } };
    const kit = parse(indexFromPython(bytes(python)));
    expect(kit.r1).toEqual({ ...entry, key: "truthound/default/results/r1.json.gz" });
    expect(parse(indexToPython(bytes(kit)))).toEqual(python);
  });

  it("leaves odd entries, entries with both fields and unparseable bytes alone", () => {
    const both = { r1: { ...entry, key: "k", blob_name: "b" }, odd: 5, list: [1] };
    expect(parse(indexFromPython(bytes(both)))).toEqual(both);
    const garbage = new Uint8Array(Buffer.from("{not json"));
    expect(indexFromPython(garbage)).toBe(garbage);
    const array = bytes([1, 2]);
    expect(indexToPython(array)).toBe(array);
  });
});
