"""Writes validation results with a Truthound-py store; prints what it wrote as JSON.

stdin: {"store": {"module": ..., "class": ..., "kwargs": {...}}, "count": COUNT}
"""
import json
import sys
from datetime import datetime, timedelta

from store_config import build_store
from truthound.stores.results import ResultStatistics, ResultStatus, ValidationResult, ValidatorResult

config = json.load(sys.stdin)
store = build_store(config["store"])
statuses = [ResultStatus.SUCCESS, ResultStatus.FAILURE, ResultStatus.WARNING, ResultStatus.ERROR]
start = datetime(2024, 3, 1, 12, 0, 0, 123456)  # naive, as Truthound-py writes from datetime.now()
written = []
for i in range(config["count"]):
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
