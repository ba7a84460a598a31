import {
  type ItemWithEtag,
  isStoreError,
  type Store,
  StoreConflictError,
  StoreIntegrityError,
} from "@truthound/store-core";
import { contentHashOf, digestHex } from "./hashing.js";
import {
  type BlobRecord,
  blobId,
  fieldsOf,
  type HeadRecord,
  type HistoryRecord,
  headId,
  type PendingVersion,
  type VersionFields,
  type VersionRecord,
  versionRecordId,
} from "./records.js";

export interface HeadState {
  record: HeadRecord;
  etag: string;
}

/** Reads and writes the history records of a `VersionedStore`; knows nothing of modes or the wrapped store. */
export class History {
  constructor(readonly store: Store<HistoryRecord>) {}

  async readHead(itemId: string, branch: string): Promise<HeadState | undefined> {
    let found: ItemWithEtag<HistoryRecord>;
    try {
      found = await this.store.getWithEtag(headId(itemId, branch));
    } catch (error) {
      if (isStoreError(error, "NOT_FOUND")) return undefined;
      throw error;
    }
    const record = found.item;
    if (record.kind !== "head" || record.itemId !== itemId || record.branch !== branch) {
      throw new StoreIntegrityError(`History head of ${itemId}@${branch} does not belong to it`, {
        id: itemId,
      });
    }
    return { record, etag: found.etag };
  }

  /** Commits `next` if the head is still `current` (conditional write); a lost race is `CONFLICT`. Returns its etag. */
  async writeHead(next: HeadRecord, current: HeadState | undefined, conditional: boolean): Promise<string> {
    if (!conditional) return (await this.store.saveWithEtag(next)).etag;
    const condition = current === undefined ? { ifNoneMatch: "*" as const } : { ifMatch: current.etag };
    return (await this.store.saveWithEtag(next, condition)).etag;
  }

  /**
   * Archives a version: its content as a blob (one per distinct content) and its fields as a version record. Both
   * are derived from a committed head alone, so writers that archive the same version write the same bytes.
   */
  async archive(version: PendingVersion): Promise<void> {
    const { fields, content } = version;
    const blob: BlobRecord = {
      kind: "blob",
      itemId: fields.itemId,
      branch: fields.branch,
      contentHash: fields.contentHash,
      content,
    };
    const record: VersionRecord = { kind: "version", ...fieldsOf({ kind: "version", ...fields }) };
    await Promise.all([this.store.save(blob), this.store.save(record)]);
  }

  async hasVersionRecord(fields: VersionFields): Promise<boolean> {
    return this.store.exists(versionRecordId(fields.itemId, fields.branch, fields.number));
  }

  async versionRecords(itemId: string, branch: string): Promise<VersionRecord[]> {
    const records: VersionRecord[] = [];
    for await (const record of this.store.iterQuery(
      { dataAsset: itemId, tags: { kind: "version", branch } },
      { batchSize: 500 },
    )) {
      if (record.kind === "version" && record.itemId === itemId && record.branch === branch)
        records.push(record);
    }
    return records.sort((a, b) => a.number - b.number);
  }

  async heads(itemId: string): Promise<HeadRecord[]> {
    const heads: HeadRecord[] = [];
    for await (const record of this.store.iterQuery(
      { dataAsset: itemId, tags: { kind: "head" } },
      { batchSize: 100 },
    )) {
      if (record.kind === "head" && record.itemId === itemId) heads.push(record);
    }
    return heads.sort((a, b) => (a.branch < b.branch ? -1 : a.branch > b.branch ? 1 : 0));
  }

  async versionRecord(itemId: string, branch: string, number: number): Promise<VersionRecord | undefined> {
    try {
      const record = await this.store.get(versionRecordId(itemId, branch, number));
      if (record.kind !== "version" || record.itemId !== itemId) {
        throw new StoreIntegrityError(`Version record ${number} of ${itemId} does not belong to it`, {
          id: itemId,
        });
      }
      return record;
    } catch (error) {
      if (isStoreError(error, "NOT_FOUND")) return undefined;
      throw error;
    }
  }

  async versionRecordByLabel(
    itemId: string,
    branch: string,
    label: string,
  ): Promise<VersionRecord | undefined> {
    const [record] = await this.store.query({
      dataAsset: itemId,
      tags: { kind: "version", branch, version: label },
      limit: 1,
    });
    return record?.kind === "version" && record.itemId === itemId ? record : undefined;
  }

  /** The content of a version, checked against its content hash and checksum. */
  async content(record: VersionRecord | HeadRecord): Promise<Record<string, unknown>> {
    let text: string;
    if (record.kind === "head") text = record.content;
    else {
      let blob: HistoryRecord;
      try {
        blob = await this.store.get(blobId(record.itemId, record.branch, record.contentHash));
      } catch (error) {
        if (isStoreError(error, "NOT_FOUND")) {
          throw new StoreIntegrityError(
            `Content of ${record.itemId} ${record.version} is missing from the history`,
            { id: record.itemId, cause: error },
          );
        }
        throw error;
      }
      if (blob.kind !== "blob") throw new StoreIntegrityError(`Blob of ${record.itemId} has the wrong kind`);
      text = blob.content;
    }
    const hash = contentHashOf(text);
    const checksum = record.checksumAlgorithm === "sha256" ? hash : digestHex(record.checksumAlgorithm, text);
    if (hash !== record.contentHash || checksum !== record.checksum) {
      throw new StoreIntegrityError(
        `Content of ${record.itemId} ${record.version} does not match its checksum`,
        {
          id: record.itemId,
        },
      );
    }
    const document: unknown = JSON.parse(text);
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
      throw new StoreIntegrityError(`Content of ${record.itemId} ${record.version} is not a document`);
    }
    return document as Record<string, unknown>;
  }

  async deleteRecord(itemId: string, branch: string, number: number): Promise<boolean> {
    return this.store.delete(versionRecordId(itemId, branch, number));
  }

  async deleteBlob(itemId: string, branch: string, contentHash: string): Promise<boolean> {
    return this.store.delete(blobId(itemId, branch, contentHash));
  }

  async deleteHead(itemId: string, branch: string): Promise<boolean> {
    return this.store.delete(headId(itemId, branch));
  }

  /** Blob ids of a branch: one per content hash ever archived there. */
  async blobHashes(itemId: string, branch: string): Promise<string[]> {
    const prefix = blobId(itemId, branch, "");
    const ids = await this.store.listIds({ dataAsset: itemId, tags: { kind: "blob", branch } });
    return ids.filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
  }
}

export function branchConflict(itemId: string, branch: string): StoreConflictError {
  return new StoreConflictError(`Branch ${branch} of ${itemId} already exists`, { id: itemId });
}
