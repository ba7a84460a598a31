import {
  applyQuery,
  filterEntries,
  type IndexEntry,
  normalizeQuery,
  type QueryPage,
  type Store,
  type StoreQuery,
  type ValidationResult,
  validationResultAdapter,
} from "@truthound/store-core";
import { expect } from "vitest";

export function entriesOf(items: readonly ValidationResult[]): IndexEntry[] {
  return items.map((item) => validationResultAdapter.entryOf(item));
}

/** What core's reference semantics return for `query` over `items`. */
export function referencePage(items: readonly ValidationResult[], query: StoreQuery = {}): QueryPage {
  return applyQuery(entriesOf(items), normalizeQuery(query));
}

export function referenceIds(items: readonly ValidationResult[], query: StoreQuery = {}): string[] {
  return referencePage(items, query).entries.map((entry) => entry.id);
}

/** How many items match the filters of `query`; `count` ignores `limit`, `offset` and `cursor`. */
export function referenceCount(items: readonly ValidationResult[], query: StoreQuery = {}): number {
  return filterEntries(entriesOf(items), normalizeQuery(query)).length;
}

/** Saves every item with `saveMany` in chunks and fails on the first item that did not save. */
export async function saveAll(
  store: Store<ValidationResult>,
  items: readonly ValidationResult[],
  chunk = 100,
): Promise<void> {
  for (let i = 0; i < items.length; i += chunk) {
    const outcomes = await store.saveMany(items.slice(i, i + chunk));
    for (const outcome of outcomes) {
      if (!outcome.ok) throw outcome.error;
    }
    expect(outcomes.map((o) => o.id)).toEqual(items.slice(i, i + chunk).map((item) => item.runId));
  }
}

/** Follows `nextCursor` from `query` until the last page; returns every page's ids. */
export async function collectIdPages(
  store: Store<ValidationResult>,
  query: StoreQuery,
  maxPages = 100_000,
): Promise<string[][]> {
  const pages: string[][] = [];
  let next: StoreQuery = query;
  for (;;) {
    const page = await store.listIdsPage(next);
    pages.push(page.items);
    if (page.nextCursor === undefined) return pages;
    if (pages.length >= maxPages) throw new Error(`pagination did not end after ${maxPages} pages`);
    next = { ...query, offset: 0, cursor: page.nextCursor };
  }
}
