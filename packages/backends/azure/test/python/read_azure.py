"""Reads a container with Truthound-py's AzureBlobStore; prints list_ids, every document and a query as JSON.

usage: read_azure.py CONTAINER NAMESPACE COMPRESSION(0|1) QUERY_ASSET START_ISO_NAIVE
       (connection string in AZURE_CONNECTION_STRING)
"""
import json
import os
import sys
from datetime import datetime

from truthound.stores.backends.azure_blob import AzureBlobStore
from truthound.stores.base import StoreQuery

container, namespace, compression = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
asset, start = sys.argv[4], datetime.fromisoformat(sys.argv[5])
store = AzureBlobStore(container=container, connection_string=os.environ["AZURE_CONNECTION_STRING"],
                       namespace=namespace, compression=compression)
ids = store.list_ids()
documents = {run_id: store.get(run_id).to_dict() for run_id in ids}
queried = store.query(StoreQuery(data_asset=asset, status="failure", start_time=start, ascending=True))
print(json.dumps({
    "ids": ids,
    "documents": documents,
    "query": [r.run_id for r in queried],
    "exists": {run_id: store.exists(run_id) for run_id in ids},
}, default=str))
