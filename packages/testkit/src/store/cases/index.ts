import type { ConformanceCase } from "../case.js";
import { aliasingCases } from "./aliasing.js";
import { batchCases } from "./batches.js";
import { capabilityCases } from "./capabilities.js";
import { conditionalWriteCases } from "./conditional-writes.js";
import { crudCases } from "./crud.js";
import { derivedOperationCases } from "./derived-operations.js";
import { idCases } from "./ids.js";
import { invalidQueryCases } from "./invalid-queries.js";
import { largeDocumentCases } from "./large-documents.js";
import { lifecycleCases } from "./lifecycle.js";
import { listingCases } from "./listing.js";
import { namespaceCases } from "./namespaces.js";
import { notFoundCases } from "./not-found.js";
import { queryCases } from "./query.js";
import { roundTripCases } from "./round-trip.js";

/** Every store conformance case, in the order the suite runs them. */
export const STORE_CONFORMANCE_CASES: readonly ConformanceCase[] = [
  ...capabilityCases,
  ...crudCases,
  ...notFoundCases,
  ...idCases,
  ...listingCases,
  ...queryCases,
  ...invalidQueryCases,
  ...namespaceCases,
  ...conditionalWriteCases,
  ...derivedOperationCases,
  ...batchCases,
  ...largeDocumentCases,
  ...aliasingCases,
  ...lifecycleCases,
  ...roundTripCases,
];
