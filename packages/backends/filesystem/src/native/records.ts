import { isPlainObject } from "@truthound/store-core";
import { isPlainFileName } from "../file-names.js";
import type { ProcessIdentity } from "../io/process-identity.js";

/**
 * One line of a writer's index log. A mutation is logged twice: a pending record before the document changes
 * (so a crash in between can be resolved) and a committed record after. Each record is self-contained.
 *
 * - `h`: header, the writer's identity (first line of every log);
 * - `ps` / `s`: save pending / committed;  `pd` / `d`: delete pending / committed;
 * - `x`: the pending mutation `n` failed and did not happen;
 * - `z`: the writer will never append to this log again (closed or rotated).
 */
export type LogRecord = HeaderRecord | SaveRecord | DeleteRecord | AbortRecord | SealRecord;

export interface HeaderRecord {
  k: "h";
  h: string;
  b: string;
  p: number;
}

export interface SaveRecord {
  k: "ps" | "s";
  /** Sequence number within the log. */
  n: number;
  /** Wall time of the pending record, ms. */
  w: number;
  id: string;
  /** Document file name. */
  f: string;
  /** Etag of the document. */
  e: string;
  a: string;
  t: number;
  s: string;
  g: Record<string, string>;
}

export interface DeleteRecord {
  k: "pd" | "d";
  n: number;
  w: number;
  id: string;
  f: string;
}

export interface AbortRecord {
  k: "x";
  n: number;
}

export interface SealRecord {
  k: "z";
}

export function headerOf(identity: ProcessIdentity): HeaderRecord {
  return { k: "h", h: identity.host, b: identity.boot, p: identity.pid };
}

export function identityOf(header: HeaderRecord): ProcessIdentity {
  return { host: header.h, boot: header.b, pid: header.p };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isPlainObject(value) && Object.values(value).every((v) => typeof v === "string");
}

const isCount = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Parses one log line; undefined when it is not a well-formed record (a corrupt or foreign line). */
export function parseRecord(line: string): LogRecord | undefined {
  let r: unknown;
  try {
    r = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isPlainObject(r)) return undefined;
  switch (r.k) {
    case "h":
      return typeof r.h === "string" && typeof r.b === "string" && isCount(r.p)
        ? (r as unknown as HeaderRecord)
        : undefined;
    case "ps":
    case "s":
      return isCount(r.n) &&
        isCount(r.w) &&
        typeof r.id === "string" &&
        r.id.length > 0 &&
        isPlainFileName(r.f) &&
        typeof r.e === "string" &&
        typeof r.a === "string" &&
        typeof r.t === "number" &&
        Number.isFinite(r.t) &&
        typeof r.s === "string" &&
        isStringRecord(r.g)
        ? (r as unknown as SaveRecord)
        : undefined;
    case "pd":
    case "d":
      return isCount(r.n) &&
        isCount(r.w) &&
        typeof r.id === "string" &&
        r.id.length > 0 &&
        isPlainFileName(r.f)
        ? (r as unknown as DeleteRecord)
        : undefined;
    case "x":
      return isCount(r.n) ? (r as unknown as AbortRecord) : undefined;
    case "z":
      return { k: "z" };
    default:
      return undefined;
  }
}
