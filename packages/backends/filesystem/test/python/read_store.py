"""Reads a store with Truthound-py's FileSystemStore; prints list_ids, every document and a query as JSON.

usage: read_store.py BASE_PATH NAMESPACE COMPRESSION(0|1) QUERY_ASSET START_ISO_NAIVE
"""
import json
import sys
from datetime import datetime

from truthound.stores.backends.filesystem import FileSystemStore
from truthound.stores.base import StoreQuery

base_path, namespace, compression = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
asset, start = sys.argv[4], datetime.fromisoformat(sys.argv[5])
store = FileSystemStore(base_path=base_path, namespace=namespace, compression=compression)
ids = store.list_ids()
documents = {run_id: store.get(run_id).to_dict() for run_id in ids}
queried = store.query(StoreQuery(data_asset=asset, status="failure", start_time=start, ascending=True))
print(json.dumps({
    "ids": ids,
    "documents": documents,
    "query": [r.run_id for r in queried],
    "exists": {run_id: store.exists(run_id) for run_id in ids},
}, default=str))
