#!/usr/bin/env python3
"""Random ABI types and values encoded by eth_abi (PyPI, an independent implementation), for
Tests/WalletCoreTests/ABI/ABICrossCheckTests.swift to check coffer's encoder and strict decoder.

Writes JSON Lines to stdout, one case each:
  {"types": ["uint8", "(bool,string)[]"], "values": [...], "encoding": "0x..."}
Integers are decimal strings, addresses and bytes 0x hex, tuples and arrays JSON arrays. Cases with
"mutated": true carry an encoding with one byte changed and eth_abi's verdict on it: "values" when
its strict decoder accepted it, "error" when it refused it.

Usage: abi_eth_abi.py [CASES [MUTATED]]; CROSSCHECK_SEED sets the seed (printed to stderr).
"""
import json
import os
import random
import sys

from eth_abi import decode, encode

MAX_DEPTH = 3


def random_type(rng, depth=0):
    roll = rng.random()
    if depth < MAX_DEPTH and roll < 0.15:
        return "(" + ",".join(random_type(rng, depth + 1) for _ in range(rng.randint(1, 3))) + ")"
    if depth < MAX_DEPTH and roll < 0.35:
        element = random_type(rng, depth + 1)
        return element + (f"[{rng.randint(1, 3)}]" if rng.random() < 0.5 else "[]")
    return rng.choice([
        lambda: f"uint{8 * rng.randint(1, 32)}", lambda: f"int{8 * rng.randint(1, 32)}", lambda: "address",
        lambda: "bool", lambda: f"bytes{rng.randint(1, 32)}", lambda: "bytes", lambda: "string",
    ])()


def split_components(inner):
    """The component type strings of a tuple's inside, split at top-level commas."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(inner):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(inner[start:index])
            start = index + 1
    parts.append(inner[start:])
    return parts


def parse(type_string):
    """('array', element, length or None) | ('tuple', [components]) | ('base', name)."""
    if type_string.endswith("]"):
        open_index = type_string.rindex("[")
        length = type_string[open_index + 1:-1]
        return ("array", type_string[:open_index], int(length) if length else None)
    if type_string.startswith("("):
        return ("tuple", split_components(type_string[1:-1]))
    return ("base", type_string)


TEXT = "aZ09 _-é漢字😀\u0000\u007f\u00ff\u2028\U0010fffd"


def random_value(rng, type_string):
    """(value for eth_abi, JSON form)."""
    kind = parse(type_string)
    if kind[0] == "array":
        count = kind[2] if kind[2] is not None else rng.randint(0, 3)
        pairs = [random_value(rng, kind[1]) for _ in range(count)]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    if kind[0] == "tuple":
        pairs = [random_value(rng, component) for component in kind[1]]
        return tuple(p[0] for p in pairs), [p[1] for p in pairs]
    name = kind[1]
    if name.startswith("uint"):
        bits = int(name[4:])
        value = rng.choice([0, 1, 2 ** bits - 1, 2 ** (bits - 1), rng.getrandbits(bits), rng.getrandbits(rng.randint(1, bits))])
        return value, str(value)
    if name.startswith("int"):
        bits = int(name[3:])
        value = rng.choice([0, -1, 2 ** (bits - 1) - 1, -(2 ** (bits - 1)), rng.getrandbits(bits) - 2 ** (bits - 1)])
        return value, str(value)
    if name == "address":
        raw = bytes(rng.getrandbits(8) for _ in range(20))
        return "0x" + raw.hex(), "0x" + raw.hex()
    if name == "bool":
        value = rng.random() < 0.5
        return value, value
    if name == "string":
        value = "".join(rng.choice(TEXT) for _ in range(rng.choice([0, 1, 5, 31, 32, 33, 70])))
        return value, value
    length = int(name[5:]) if name != "bytes" else rng.choice([0, 1, 31, 32, 33, 64, 100])
    raw = bytes(rng.getrandbits(8) for _ in range(length))
    return raw, "0x" + raw.hex()


def to_json(value):
    """eth_abi's decoded value in the JSON form above."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value  # str: addresses come back as lower-case 0x hex


def main():
    seed = int(os.environ.get("CROSSCHECK_SEED", "20261122"))
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    mutated_count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = random.Random(seed)
    accepted = refused = 0
    for _ in range(count):
        types = [random_type(rng) for _ in range(rng.randint(0, 4))]
        pairs = [random_value(rng, t) for t in types]
        encoding = encode(types, [p[0] for p in pairs])
        if to_json(list(decode(types, encoding))) != [p[1] for p in pairs]:
            raise SystemExit(f"eth_abi does not decode its own encoding of {types}")
        print(json.dumps({"types": types, "values": [p[1] for p in pairs], "encoding": "0x" + encoding.hex()}))
    written = 0
    while written < mutated_count:
        types = [random_type(rng) for _ in range(rng.randint(1, 3))]
        encoding = bytearray(encode(types, [random_value(rng, t)[0] for t in types]))
        if not encoding:
            continue
        encoding[rng.randrange(len(encoding))] ^= 1 << rng.randrange(8) if rng.random() < 0.7 else rng.randint(1, 255)
        case = {"types": types, "encoding": "0x" + encoding.hex(), "mutated": True}
        try:
            case["values"] = to_json(list(decode(types, bytes(encoding))))
            accepted += 1
        except Exception as error:  # eth_abi raises several exception types, and UnicodeDecodeError
            case["error"] = f"{type(error).__name__}: {error}"[:200]
            refused += 1
        print(json.dumps(case))
        written += 1
    print(f"abi_eth_abi: seed {seed}, {count} encoded cases, {mutated_count} mutated "
          f"({accepted} accepted and {refused} refused by eth_abi)", file=sys.stderr)


if __name__ == "__main__":
    main()
