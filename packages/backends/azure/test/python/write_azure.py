"""Writes validation results with Truthound-py's AzureBlobStore; prints what it wrote as JSON.

usage: write_azure.py CONTAINER NAMESPACE COMPRESSION(0|1) COUNT   (connection string in AZURE_CONNECTION_STRING)
"""
import json
import os
import sys
from datetime import datetime, timedelta

from truthound.stores.backends.azure_blob import AzureBlobStore
from truthound.stores.results import ResultStatistics, ResultStatus, ValidationResult, ValidatorResult

container, namespace = sys.argv[1], sys.argv[2]
compression, count = sys.argv[3] == "1", int(sys.argv[4])
store = AzureBlobStore(container=container, connection_string=os.environ["AZURE_CONNECTION_STRING"],
                       namespace=namespace, compression=compression)
statuses = [ResultStatus.SUCCESS, ResultStatus.FAILURE, ResultStatus.WARNING, ResultStatus.ERROR]
start = datetime(2024, 3, 1, 12, 0, 0, 123456)  # naive, as Truthound-py writes from datetime.now()
written = []
for i in range(count):
    result = ValidationResult(
        run_id=f"run_20240301_{i:06d}_{i:08x}",
        run_time=start + timedelta(hours=i),
        data_asset=f"asset_{i % 3}.csv",
        status=statuses[i % 4],
        results=[
            ValidatorResult(validator_name="not_null", success=i % 2 == 0, column="id", count=i,
                            severity="high", message=f"check {i}", details={"i": i}),
        ],
        statistics=ResultStatistics(total_validators=1, passed_validators=(i + 1) % 2, failed_validators=i % 2,
                                    total_rows=100 + i),
        tags={"env": "prod" if i % 2 == 0 else "dev", "team": "ünïcode"},
        metadata={"source": "python", "n": i},
    )
    store.save(result)
    written.append(result.to_dict())
print(json.dumps(written))
