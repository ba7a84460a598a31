/** Renders rows as an aligned plain-text table (numbers right-aligned). */
export function table(
  headers: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
): string[] {
  const cells = rows.map((row) => row.map((cell) => String(cell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? "").length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === "number"));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
}

export function heading(title: string): string[] {
  return ["", title, "=".repeat(title.length)];
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `2026-01-31 14:05` in UTC. */
export function shortTime(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ");
}

const STATUS_MARKS: Record<string, string> = { success: "+", warning: "~", failure: "x", error: "!" };

/** One character per run: + success, ~ warning, x failure, ! error. */
export function statusMark(status: string): string {
  return STATUS_MARKS[status] ?? "?";
}

export type Write = (line: string) => void;

export function writeLines(write: Write, lines: readonly string[]): void {
  for (const line of lines) write(line);
}
