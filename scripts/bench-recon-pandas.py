"""The floor of `coffer bench recon`: pandas' merge on the exact keys (asset, reference, amount).

Usage: bench-recon-pandas.py DIRECTORY RUNS. Loads DIRECTORY/ledger.csv and statement.csv (not
timed), then times an inner merge RUNS times and prints `merge SECONDS` per run and the number of
joined rows. Amounts are read as Python integers' text into int64 (they fit: the benchmark's are
below 2^63), so the join compares exact integers, as Coffer does.
"""
import sys
import time

import pandas as pd

directory, runs = sys.argv[1], int(sys.argv[2])
types = {"id": str, "asset": "category", "reference": str, "amount": "int64", "time": "int64"}
started = time.perf_counter()
ledger = pd.read_csv(f"{directory}/ledger.csv", dtype=types)
statement = pd.read_csv(f"{directory}/statement.csv", dtype=types)
print(f"load {time.perf_counter() - started:.3f}", flush=True)
for _ in range(runs):
    started = time.perf_counter()
    joined = ledger.merge(statement, on=["asset", "reference", "amount"], how="inner", suffixes=("_l", "_s"))
    print(f"merge {time.perf_counter() - started:.6f}", flush=True)
print(f"rows {len(joined)}", flush=True)
