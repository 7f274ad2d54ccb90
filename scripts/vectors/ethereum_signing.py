#!/usr/bin/env python3
"""Generates Tests/Vectors/generated/ethereum-signing.json with eth-account, the reference
implementation Coffer's Ethereum signing must match byte for byte.

    pip install eth-account==0.14.0
    python3 scripts/vectors/ethereum_signing.py

Development-time only: the Swift tests read the JSON and never need Python. Each transaction
case carries its request exactly as `coffer sign ethereum-tx` reads it (snake_case JSON text);
each typed-data case carries the JSON text `coffer sign ethereum-typed-data` reads.
"""

import json
import random
from pathlib import Path

import eth_account
from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data
from eth_utils import keccak, to_checksum_address

OUT = Path(__file__).resolve().parents[2] / "Tests/Vectors/generated/ethereum-signing.json"
MAX = 2**256 - 1
rng = random.Random(20240601)


def random_key():
    return "0x" + rng.randbytes(32).hex()


def random_address(checksummed=True):
    raw = "0x" + rng.randbytes(20).hex()
    return to_checksum_address(raw) if checksummed else raw


def random_hex(n):
    return "0x" + rng.randbytes(n).hex()


def transaction_case(description, chain_id, request, key=None):
    """`request` is the snake_case form; it is translated to eth-account's dict."""
    key = key or random_key()
    tx = {"chainId": chain_id, "nonce": int(request["nonce"]), "gas": int(request["gas"]),
          "value": int(request["value"]), "data": request.get("data", "0x")}
    tx_type = request["type"]
    if tx_type != 0:
        tx["type"] = tx_type
        tx["accessList"] = [{"address": to_checksum_address(entry["address"]), "storageKeys": entry["storage_keys"]}
                            for entry in request.get("access_list", [])]
    if tx_type in (0, 1):
        tx["gasPrice"] = int(request["gas_price"])
    else:
        tx["maxPriorityFeePerGas"] = int(request["max_priority_fee_per_gas"])
        tx["maxFeePerGas"] = int(request["max_fee_per_gas"])
    if request.get("to") is not None:
        tx["to"] = to_checksum_address(request["to"])  # eth-account wants EIP-55; Coffer also takes lower case
    elif tx_type == 0:
        tx["to"] = ""
    signed = Account.sign_transaction(tx, key)
    return {
        "description": description,
        "key": key,
        "chain_id": str(chain_id),
        "request": json.dumps(request, separators=(",", ":")),
        "raw": "0x" + signed.raw_transaction.hex(),
        "hash": "0x" + signed.hash.hex(),
        "from": Account.from_key(key).address,
    }


def transactions():
    cases = []
    to = random_address()
    one_eth = str(10**18)
    cases.append(transaction_case("type 2 plain transfer, mainnet", 1, {
        "type": 2, "nonce": 0, "max_priority_fee_per_gas": "1000000000", "max_fee_per_gas": "30000000000",
        "gas": 21000, "to": to, "value": one_eth, "data": "0x", "access_list": []}))
    cases.append(transaction_case("type 2 with access list and calldata, polygon", 137, {
        "type": 2, "nonce": 42, "max_priority_fee_per_gas": "30000000000", "max_fee_per_gas": "200000000000",
        "gas": 120000, "to": random_address(), "value": "0", "data": random_hex(68),
        "access_list": [{"address": random_address(), "storage_keys": [random_hex(32), random_hex(32)]},
                        {"address": random_address(), "storage_keys": []}]}))
    cases.append(transaction_case("type 2 contract creation (no to)", 1, {
        "type": 2, "nonce": 7, "max_priority_fee_per_gas": "2", "max_fee_per_gas": "3",
        "gas": 3000000, "value": "0", "data": random_hex(200)}))
    cases.append(transaction_case("type 2 contract creation (to null)", 11155111, {
        "type": 2, "nonce": 1, "max_priority_fee_per_gas": "0", "max_fee_per_gas": "0",
        "gas": 53000, "to": None, "value": "0", "data": "0x6000"}))
    cases.append(transaction_case("type 2 all zero values", 1, {
        "type": 2, "nonce": 0, "max_priority_fee_per_gas": "0", "max_fee_per_gas": "0",
        "gas": 0, "to": "0x0000000000000000000000000000000000000000", "value": "0", "data": "0x"}))
    cases.append(transaction_case("type 2 values at 2^256-1", 1, {
        "type": 2, "nonce": str(MAX), "max_priority_fee_per_gas": str(MAX), "max_fee_per_gas": str(MAX),
        "gas": str(MAX), "to": to, "value": str(MAX), "data": "0x"}))
    cases.append(transaction_case("type 2 value 2^256-2 and lowercase to, huge chain id", 2**200 + 12345, {
        "type": 2, "nonce": 2**64 - 1, "max_priority_fee_per_gas": "1", "max_fee_per_gas": str(2**128),
        "gas": 21000, "to": random_address(checksummed=False), "value": str(MAX - 1), "data": "0x"}))
    cases.append(transaction_case("type 2 chain id 2^256-1", MAX, {
        "type": 2, "nonce": 3, "max_priority_fee_per_gas": "1", "max_fee_per_gas": "1",
        "gas": 21000, "to": to, "value": "1", "data": "0x"}))
    cases.append(transaction_case("type 1 with access list", 1, {
        "type": 1, "nonce": 9, "gas_price": "20000000000", "gas": 60000, "to": random_address(),
        "value": "12345678901234567890", "data": random_hex(36),
        "access_list": [{"address": random_address(), "storage_keys": [random_hex(32)]}]}))
    cases.append(transaction_case("type 1 without access list, polygon", 137, {
        "type": 1, "nonce": 0, "gas_price": "1", "gas": 21000, "to": to, "value": "1", "data": "0x"}))
    cases.append(transaction_case("type 1 contract creation, large chain id", 2**64 - 1, {
        "type": 1, "nonce": 1, "gas_price": "0", "gas": 100000, "value": str(MAX), "data": random_hex(10),
        "access_list": []}))
    cases.append(transaction_case("type 0 legacy EIP-155, mainnet (EIP-155 example)", 1, {
        "type": 0, "nonce": 9, "gas_price": "20000000000", "gas": 21000,
        "to": "0x3535353535353535353535353535353535353535", "value": one_eth, "data": "0x"},
        key="0x4646464646464646464646464646464646464646464646464646464646464646"))
    cases.append(transaction_case("type 0 legacy, polygon, calldata", 137, {
        "type": 0, "nonce": 1000, "gas_price": "50000000000", "gas": 80000, "to": random_address(),
        "value": "0", "data": random_hex(100)}))
    cases.append(transaction_case("type 0 legacy contract creation", 5, {
        "type": 0, "nonce": 0, "gas_price": "1", "gas": 1000000, "value": "0", "data": random_hex(64)}))
    cases.append(transaction_case("type 0 legacy zero values", 1, {
        "type": 0, "nonce": 0, "gas_price": "0", "gas": 0, "to": to, "value": "0"}))
    cases.append(transaction_case("type 0 legacy values at 2^256-1", 1, {
        "type": 0, "nonce": str(MAX), "gas_price": str(MAX), "gas": str(MAX), "to": to, "value": str(MAX), "data": "0x"}))
    cases.append(transaction_case("type 0 legacy very large chain id (v > 2^64)", 2**100 + 7, {
        "type": 0, "nonce": 5, "gas_price": "3", "gas": 21000, "to": to, "value": "1", "data": "0x"}))
    cases.append(transaction_case("type 0 legacy largest chain id whose v fits 256 bits", (MAX - 36) // 2, {
        "type": 0, "nonce": 5, "gas_price": "3", "gas": 21000, "to": to, "value": "1", "data": "0x"}))
    for index in range(24):
        tx_type = index % 3
        request = {"type": tx_type, "nonce": rng.randrange(0, 2**32), "gas": rng.randrange(21000, 10**7),
                   "value": str(rng.randrange(0, 2**rng.randrange(1, 257))), "data": random_hex(rng.randrange(0, 80))}
        if index % 5 != 4:
            request["to"] = random_address(checksummed=index % 2 == 0)
        if tx_type == 2:
            tip = rng.randrange(0, 10**11)
            request["max_priority_fee_per_gas"] = str(tip)
            request["max_fee_per_gas"] = str(tip + rng.randrange(0, 10**12))
        else:
            request["gas_price"] = str(rng.randrange(0, 10**12))
        if tx_type != 0:
            request["access_list"] = [{"address": random_address(), "storage_keys": [random_hex(32) for _ in range(rng.randrange(0, 3))]}
                                      for _ in range(rng.randrange(0, 3))]
        chain_id = rng.choice([1, 10, 56, 137, 8453, 42161, 11155111, rng.randrange(1, 2**62)])
        cases.append(transaction_case(f"random type {tx_type} #{index}", chain_id, request))
    return cases


def message_case(description, message, key=None):
    key = key or random_key()
    signed = Account.sign_message(encode_defunct(primitive=message), key)
    return {
        "description": description,
        "key": key,
        "message": "0x" + message.hex(),
        "hash": "0x" + signed.message_hash.hex(),
        "signature": "0x" + signed.signature.hex(),
        "address": Account.from_key(key).address,
    }


def messages():
    cases = [
        message_case("empty message", b""),
        message_case("ascii", b"Hello, Coffer!"),
        message_case("unicode", "Grüße, 世界 🌍".encode()),
        message_case("trailing newline kept", b"sign me\n"),
        message_case("binary 32 bytes (looks like a hash)", bytes(range(32))),
        message_case("binary with NUL and 0xff", b"\x00\xff\x00\x19\x01"),
        message_case("1000 bytes (four-digit length)", bytes(rng.randbytes(1000))),
        message_case("keccak cow key", b"cow", key="0x" + keccak(text="cow").hex()),
    ]
    for index in range(12):
        cases.append(message_case(f"random #{index}", rng.randbytes(rng.randrange(0, 300))))
    return cases


DOMAIN_TYPE = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]

MAIL = {
    "types": {
        "EIP712Domain": DOMAIN_TYPE,
        "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
        "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}],
    },
    "primaryType": "Mail",
    "domain": {"name": "Ether Mail", "version": "1", "chainId": 1, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
    "message": {
        "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
        "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
        "contents": "Hello, Bob!",
    },
}


def typed_case(description, data, key=None):
    key = key or random_key()
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    signed = Account.sign_typed_data(key, full_message=json.loads(text))
    return {
        "description": description,
        "key": key,
        "json": text,
        "hash": "0x" + signed.message_hash.hex(),
        "signature": "0x" + signed.signature.hex(),
        "address": Account.from_key(key).address,
    }


def typed_data():
    cases = [typed_case("EIP-712 spec Mail example", MAIL, key="0x" + keccak(text="cow").hex())]

    # Nested structs, arrays of structs (dynamic and fixed), arrays of atomic and dynamic types.
    group = {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
            "Person": [{"name": "name", "type": "string"}, {"name": "wallets", "type": "address[]"}],
            "Group": [{"name": "name", "type": "string"}, {"name": "members", "type": "Person[]"}],
            "Mail": [
                {"name": "from", "type": "Person"},
                {"name": "to", "type": "Person[]"},
                {"name": "cc", "type": "Person[2]"},
                {"name": "group", "type": "Group"},
                {"name": "contents", "type": "string"},
                {"name": "tags", "type": "string[]"},
                {"name": "attachments", "type": "bytes[]"},
                {"name": "scores", "type": "uint16[3]"},
                {"name": "matrix", "type": "int8[2][]"},
                {"name": "empty", "type": "uint256[]"},
            ],
        },
        "primaryType": "Mail",
        "domain": {"name": "Nested", "chainId": 137},
        "message": {
            "from": {"name": "Cow", "wallets": [random_address(), random_address()]},
            "to": [{"name": "Bob", "wallets": [random_address()]}, {"name": "Alice", "wallets": []}],
            "cc": [{"name": "Carol", "wallets": []}, {"name": "Dave", "wallets": [random_address(checksummed=False)]}],
            "group": {"name": "Herd", "members": [{"name": "Daisy", "wallets": [random_address()]}]},
            "contents": "Hello, everyone! ✉️",
            "tags": ["a", "", "ünïcödé"],
            "attachments": ["0x", random_hex(5), random_hex(40)],
            "scores": [0, 65535, "0x10"],
            "matrix": [[-128, 127], ["-1", "0"], [1, -2]],
            "empty": [],
        },
    }
    cases.append(typed_case("nested structs and arrays of structs", group))

    # Every integer size, signed and unsigned, at both ends of its range.
    int_fields, int_values = [], {}
    for bits in range(8, 257, 8):
        int_fields += [{"name": f"u{bits}max", "type": f"uint{bits}"}, {"name": f"u{bits}mid", "type": f"uint{bits}"},
                       {"name": f"i{bits}min", "type": f"int{bits}"}, {"name": f"i{bits}max", "type": f"int{bits}"},
                       {"name": f"i{bits}neg", "type": f"int{bits}"}]
        int_values[f"u{bits}max"] = str(2**bits - 1) if bits > 53 else 2**bits - 1
        int_values[f"u{bits}mid"] = hex(rng.randrange(0, 2**bits))
        int_values[f"i{bits}min"] = str(-(2 ** (bits - 1))) if bits > 53 else -(2 ** (bits - 1))
        int_values[f"i{bits}max"] = 2 ** (bits - 1) - 1
        int_values[f"i{bits}neg"] = -rng.randrange(1, 2 ** (bits - 1))
    cases.append(typed_case("all integer sizes at their limits", {
        "types": {"EIP712Domain": DOMAIN_TYPE, "Numbers": int_fields},
        "primaryType": "Numbers",
        "domain": {"name": "Ints", "version": "2", "chainId": 2**255, "verifyingContract": random_address()},
        "message": int_values,
    }))

    # bytes, bytesN, bool, address, string edge cases; domain with salt.
    byte_fields = [{"name": f"b{n}", "type": f"bytes{n}"} for n in (1, 2, 4, 8, 16, 20, 31, 32)]
    byte_values = {f"b{n}": random_hex(n) for n in (1, 2, 4, 8, 16, 20, 31, 32)}
    cases.append(typed_case("bytes, bytesN, bool, address, salt", {
        "types": {
            "EIP712Domain": DOMAIN_TYPE + [{"name": "salt", "type": "bytes32"}],
            "Blob": byte_fields + [
                {"name": "data", "type": "bytes"}, {"name": "nothing", "type": "bytes"},
                {"name": "yes", "type": "bool"}, {"name": "no", "type": "bool"},
                {"name": "who", "type": "address"}, {"name": "text", "type": "string"},
                {"name": "flags", "type": "bool[]"}, {"name": "ids", "type": "bytes32[2]"},
            ],
        },
        "primaryType": "Blob",
        "domain": {"name": "Bytes", "version": "1", "chainId": 1, "verifyingContract": random_address(), "salt": random_hex(32)},
        "message": dict(byte_values, data=random_hex(100), nothing="0x", yes=True, no=False,
                        who=random_address(checksummed=False), text="", flags=[True, False, True],
                        ids=[random_hex(32), random_hex(32)]),
    }))

    # A permit-style message (the most common thing wallets sign).
    cases.append(typed_case("ERC-2612 permit", {
        "types": {
            "EIP712Domain": DOMAIN_TYPE,
            "Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
                       {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"},
                       {"name": "deadline", "type": "uint256"}],
        },
        "primaryType": "Permit",
        "domain": {"name": "USD Coin", "version": "2", "chainId": 1, "verifyingContract": "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"},
        "message": {"owner": random_address(), "spender": random_address(), "value": str(MAX), "nonce": 0,
                    "deadline": "1700000000"},
    }))

    # Dependency sorting: the primary type refers to types whose names sort before and after it.
    cases.append(typed_case("dependencies sorted by name", {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}],
            "Order": [{"name": "zeta", "type": "Zeta"}, {"name": "alpha", "type": "Alpha[]"}, {"name": "id", "type": "uint64"}],
            "Zeta": [{"name": "beta", "type": "Beta"}, {"name": "n", "type": "int32"}],
            "Beta": [{"name": "x", "type": "bytes3"}],
            "Alpha": [{"name": "ok", "type": "bool"}],
        },
        "primaryType": "Order",
        "domain": {"name": "Sorting"},
        "message": {"zeta": {"beta": {"x": "0xabcdef"}, "n": -7}, "alpha": [{"ok": True}, {"ok": False}], "id": "18446744073709551615"},
    }))
    return cases


def main():
    document = {
        "generator": f"scripts/vectors/ethereum_signing.py with eth-account {eth_account.__version__}",
        "transactions": transactions(),
        "messages": messages(),
        "typed_data": typed_data(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}: {len(document['transactions'])} transactions, {len(document['messages'])} messages, "
          f"{len(document['typed_data'])} typed data")


if __name__ == "__main__":
    main()
