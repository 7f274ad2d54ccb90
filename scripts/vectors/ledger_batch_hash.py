#!/usr/bin/env python3
"""Expected LedgerBatchHash values, computed independently of the Swift code from the encoding
documented in docs/ledger.md (SHA-256 over length-prefixed big-endian fields). The output is
pasted into Tests/LedgerTests/LedgerBatchHashTests.swift; the stdlib is all it needs."""
import hashlib
import struct

NONE = "\0"  # how an absent optional field is encoded


def integer(value):
    return struct.pack(">Q", value)


def text(value):
    data = value.encode()
    return integer(len(data)) + data


def batch_hash(previous, seq, transfers, outcomes):
    out = text("coffer-ledger-batch-v1")
    out += integer(len(previous)) + previous
    out += integer(seq) + integer(len(transfers))
    for t in transfers:
        for field in (t["id"], t["debit"], t["credit"], t["asset"], str(t["amount"]),
                      t["request_debit"] or NONE, t["request_credit"] or NONE, t["request_asset"] or NONE,
                      str(t["request_amount"])):
            out += text(field)
        out += integer(t["flags"]) + text(t["pending_id"] or NONE) + integer(t["timeout"]) + integer(t["code"])
        out += text(t["reference"]) + text(t["metadata"]) + integer(t["timestamp"])
    out += integer(len(outcomes))
    for o in outcomes:
        out += text(o["pending_id"]) + text(o["kind"]) + text(o["transfer_id"] or NONE) + integer(o["timestamp"])
    return hashlib.sha256(out).hexdigest()


transfers = [
    dict(id="t1", debit="acct-a", credit="acct-b", asset="USDT", amount=2**128 - 1, request_debit="acct-a",
         request_credit="acct-b", request_asset="USDT", request_amount=2**128 - 1, flags=2, pending_id=None,
         timeout=30, code=7, reference="order-77", metadata="m\u00e9ta", timestamp=1_700_000_000_000_000_001),
    dict(id="t2", debit="acct-a", credit="acct-b", asset="USDT", amount=10_000_000_000_000_000_000,
         request_debit=None, request_credit=None, request_asset=None, request_amount=0, flags=4,
         pending_id="t0", timeout=0, code=0, reference="", metadata="", timestamp=1_700_000_000_000_000_002),
]
outcomes = [
    dict(pending_id="t0", kind="posted", transfer_id="t2", timestamp=1_700_000_000_000_000_002),
    dict(pending_id="p9", kind="expired", transfer_id=None, timestamp=1_700_000_000_000_000_000),
]
print(batch_hash(bytes(32), 1, transfers, outcomes))
print(batch_hash(bytes(range(32)), 42, [], []))
