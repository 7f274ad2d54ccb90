#!/usr/bin/env python3
"""Random TOTP cases from pyotp (PyPI), one JSON object per line, for TOTPCrossCheckTests:

    totp_pyotp.py COUNT > cases.jsonl

Each line: {"secret": base32, "algorithm": "SHA1|SHA256|SHA512", "digits": 6|8, "time": seconds,
"code": pyotp's code}. The seed is CROSSCHECK_SEED (default
20261202), printed to standard error.
"""
import base64
import hashlib
import json
import os
import random
import sys

import pyotp

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
seed = int(os.environ.get("CROSSCHECK_SEED", "20261202"))
print(f"totp crosscheck seed {seed}", file=sys.stderr)
rng = random.Random(seed)
digests = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
for _ in range(count):
    algorithm = rng.choice(sorted(digests))
    digits = rng.choice([6, 8])
    raw = bytes(rng.randrange(256) for _ in range(rng.choice([16, 20, 32, 64])))
    secret = base64.b32encode(raw).decode().rstrip("=")
    time = rng.randrange(0, 2**35)
    totp = pyotp.TOTP(secret, digits=digits, digest=digests[algorithm])
    print(json.dumps({"secret": secret, "algorithm": algorithm, "digits": digits, "time": time, "code": totp.at(time)}))
