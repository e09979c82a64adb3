"""Benchmark: unlock a vault of 10,000 integrations, alone and with loading the list model.

Target: unlock + load within 1.5x of unlock alone. Prints both times and the ratio.
Run with ``make bench`` (or ``python bench/unlock_and_load.py [COUNT]``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.models import parse_new
from app.vault import Vault

PASSWORD = "bench-master-password"
ROUNDS = 5


def build(path: Path, count: int) -> None:
    template = parse_new(
        {
            "label": "x",
            "provider": "s3",
            "credentials": {
                "bucket": "bench-bucket",
                "region": "us-east-1",
                "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
                "secretAccessKey": "bench-secret-value",
            },
        }
    )
    items = [
        type(template)(f"Integration {n:05d}", "s3", "cloud", template.credentials)
        for n in range(count)
    ]
    with Vault.create(path, PASSWORD) as vault:
        vault.add_many(items)


def unlock_only(path: Path) -> float:
    start = time.perf_counter()
    vault = Vault.open(path, PASSWORD)
    elapsed = time.perf_counter() - start
    vault.close()
    return elapsed


def unlock_and_load(path: Path) -> tuple[float, int]:
    from ui.integration_model import IntegrationTableModel

    start = time.perf_counter()
    vault = Vault.open(path, PASSWORD)
    model = IntegrationTableModel()
    model.set_rows(vault.rows())
    elapsed = time.perf_counter() - start
    count = model.rowCount()
    vault.close()
    return elapsed, count


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        started = time.perf_counter()
        build(path, count)
        print(f"built a vault of {count} integrations in {time.perf_counter() - started:.2f} s")
        unlock_only(path)  # warm the page cache
        alone = statistics.median(unlock_only(path) for _ in range(ROUNDS))
        loads = [unlock_and_load(path) for _ in range(ROUNDS)]
        loaded = statistics.median(t for t, _ in loads)
        assert all(n == count for _, n in loads), "the model did not receive every row"
    ratio = loaded / alone
    print(f"unlock alone (key derivation):       {alone * 1000:8.1f} ms (median of {ROUNDS})")
    print(f"unlock + load {count} rows into model: {loaded * 1000:8.1f} ms (median of {ROUNDS})")
    print(f"ratio: {ratio:.2f}x (target <= 1.5x) -> {'met' if ratio <= 1.5 else 'NOT met'}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
