#!/usr/bin/env python3
"""Writes Tests/Vectors/generated/ethereum_keystore_eth_account.json.

Development-time only (the Swift tests read the JSON and never need Python):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install eth-account==0.14.0
    /tmp/venv/bin/python scripts/vectors/ethereum_keystore.py

"random": keystores written by eth-account's Account.encrypt (random salt, iv, id), each checked
with Account.decrypt; Coffer must decrypt them to the same key.
"fixed": keystores written by eth-keyfile with its random source pinned to the given salt, iv and
id; Coffer's encrypt with the same inputs must produce the same fields.
"invalid_key": correctly authenticated keystores whose plaintext is 0 or the group order n.
"""
import json
import pathlib
import uuid

import eth_keyfile.keyfile as keyfile
from eth_account import Account

KEYS = [
    "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d",
    "0000000000000000000000000000000000000000000000000000000000000001",
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140",
    "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
]
PASSWORDS = ["testpassword", "", "p\u00e4ssw\u00f6rd \u043a\u043b\u044e\u0447 \U0001f511", "x" * 200]
# Small work factors keep the Swift debug-build tests fast; the code path is the same.
KDFS = [("scrypt", 1 << 12), ("scrypt", 1 << 14), ("pbkdf2", 1000), ("pbkdf2", 4096)]


def random_cases():
    cases = []
    for i, (kdf, work) in enumerate(KDFS):
        key, password = KEYS[i % len(KEYS)], PASSWORDS[i % len(PASSWORDS)]
        encrypted = Account.encrypt(bytes.fromhex(key), password, kdf=kdf, iterations=work)
        assert Account.decrypt(encrypted, password).hex() == key
        cases.append({"kdf": kdf, "password": password, "private_key": key, "json": encrypted})
    return cases


def fixed_cases():
    cases = []
    for i, (kdf, work) in enumerate(KDFS):
        key, password = KEYS[(i + 1) % len(KEYS)], PASSWORDS[(i + 1) % len(PASSWORDS)]
        salt = bytes(range(i, i + 32))
        iv = bytes(range(100 + i, 116 + i))
        ident = uuid.UUID(int=0x1234567890ABCDEF1234567890ABCDEF + i, version=4)
        randoms = [salt, iv]
        keyfile.Random.get_random_bytes = lambda n: randoms.pop(0)
        keyfile.uuid4 = lambda: ident
        encrypted = keyfile.create_keyfile_json(
            bytes.fromhex(key), password.encode("utf-8"), kdf=kdf, iterations=work, salt_size=32)
        assert Account.decrypt(encrypted, password).hex() == key
        cases.append({
            "kdf": kdf, "work": work, "password": password, "private_key": key,
            "salt": salt.hex(), "iv": iv.hex(), "id": str(ident), "json": encrypted,
        })
    return cases


def invalid_key_cases():
    """Well-formed keystores (correct MAC) whose plaintext is not a secp256k1 key: 0 and n."""
    from eth_utils import keccak

    cases = []
    for plaintext in ["00" * 32, "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"]:
        salt, iv, password = bytes(32), bytes(range(16)), "testpassword"
        derived = keyfile._pbkdf2_hash(password.encode(), hash_name="sha256", salt=salt, iterations=1000, dklen=32)
        ciphertext = keyfile.encrypt_aes_ctr(bytes.fromhex(plaintext), derived[:16], int.from_bytes(iv, "big"))
        cases.append({"password": password, "json": {
            "crypto": {
                "cipher": "aes-128-ctr", "cipherparams": {"iv": iv.hex()}, "ciphertext": ciphertext.hex(),
                "kdf": "pbkdf2", "kdfparams": {"c": 1000, "dklen": 32, "prf": "hmac-sha256", "salt": salt.hex()},
                "mac": keccak(derived[16:32] + ciphertext).hex(),
            },
            "id": "00000000-0000-4000-8000-000000000000", "version": 3,
        }})
    return cases


if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parents[2] / "Tests/Vectors/generated/ethereum_keystore_eth_account.json"
    document = {
        "generator": "scripts/vectors/ethereum_keystore.py with eth-account 0.14.0 (eth-keyfile 0.10.0)",
        "random": random_cases(),
        "fixed": fixed_cases(),
        "invalid_key": invalid_key_cases(),
    }
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
