"""Reads a bucket with Truthound-py's S3Store; prints list_ids, every document and a query as JSON.

usage: read_s3.py BUCKET ENDPOINT NAMESPACE COMPRESSION(0|1) QUERY_ASSET START_ISO_NAIVE
"""
import json
import sys
from datetime import datetime

from truthound.stores.backends.s3 import S3Store
from truthound.stores.base import StoreQuery

bucket, endpoint, namespace, compression = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
asset, start = sys.argv[5], datetime.fromisoformat(sys.argv[6])
store = S3Store(bucket=bucket, endpoint_url=endpoint, namespace=namespace, compression=compression, region="us-east-1")
ids = store.list_ids()
documents = {run_id: store.get(run_id).to_dict() for run_id in ids}
queried = store.query(StoreQuery(data_asset=asset, status="failure", start_time=start, ascending=True))
print(json.dumps({
    "ids": ids,
    "documents": documents,
    "query": [r.run_id for r in queried],
    "exists": {run_id: store.exists(run_id) for run_id in ids},
}, default=str))
