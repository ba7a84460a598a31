export type ChangeType = "added" | "removed" | "modified";

export interface VersionChange {
  /** RFC 6901 JSON pointer into the stored document (`/statistics/total_issues`, `/results/0/status`). */
  path: string;
  type: ChangeType;
  oldValue?: unknown;
  newValue?: unknown;
}

function escapeToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Changes from `a` to `b`, depth first, object keys in code-point order and array elements by index, so the
 * same two documents always give the same list in the same order.
 */
export function diffDocuments(a: unknown, b: unknown, path = ""): VersionChange[] {
  const changes: VersionChange[] = [];
  walk(a, b, path, changes);
  return changes;
}

function walk(a: unknown, b: unknown, path: string, out: VersionChange[]): void {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const child = `${path}/${escapeToken(key)}`;
      if (!(key in b)) out.push({ path: child, type: "removed", oldValue: a[key] });
      else if (!(key in a)) out.push({ path: child, type: "added", newValue: b[key] });
      else walk(a[key], b[key], child, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      const child = `${path}/${i}`;
      if (i >= b.length) out.push({ path: child, type: "removed", oldValue: a[i] });
      else if (i >= a.length) out.push({ path: child, type: "added", newValue: b[i] });
      else walk(a[i], b[i], child, out);
    }
    return;
  }
  if (!Object.is(a, b) && JSON.stringify(a) !== JSON.stringify(b)) {
    out.push({ path, type: "modified", oldValue: a, newValue: b });
  }
}

export function summarize(changes: readonly VersionChange[]): string {
  const count = (type: ChangeType) => changes.filter((c) => c.type === type).length;
  return `${count("added")} added, ${count("removed")} removed, ${count("modified")} modified`;
}
