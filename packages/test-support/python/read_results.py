"""Reads with a Truthound-py store; prints list_ids, every document, a query and exists as JSON.

stdin: {"store": {"module": ..., "class": ..., "kwargs": {...}}, "asset": QUERY_ASSET, "start": START_ISO_NAIVE}
"""
import json
import sys
from datetime import datetime

from store_config import build_store
from truthound.stores.base import StoreQuery

config = json.load(sys.stdin)
store = build_store(config["store"])
asset, start = config["asset"], datetime.fromisoformat(config["start"])
ids = store.list_ids()
documents = {run_id: store.get(run_id).to_dict() for run_id in ids}
queried = store.query(StoreQuery(data_asset=asset, status="failure", start_time=start, ascending=True))
print(json.dumps({
    "ids": ids,
    "documents": documents,
    "query": [r.run_id for r in queried],
    "exists": {run_id: store.exists(run_id) for run_id in ids},
}, default=str))
