#!/usr/bin/env python3
"""Dev-time cross-check of Coffer's SLIP-39 against trezor's reference, PyPI shamir-mnemonic 0.3.0.

Not a runtime or test dependency: run it once by hand, commit its output.

  python -m venv /tmp/venv && /tmp/venv/bin/pip install shamir-mnemonic==0.3.0
  /tmp/venv/bin/python scripts/vectors/slip39_shamir_mnemonic.py generate \
      > Tests/Vectors/generated/slip39-shamir-mnemonic.json
      Shares made by the reference for many schemes; the Swift tests recover them.
  /tmp/venv/bin/python scripts/vectors/slip39_shamir_mnemonic.py coffer .build/debug/coffer \
      > Tests/Vectors/generated/slip39-coffer.json
      Splits secrets with `coffer shamir split`, recovers each set with the reference (exits 1
      on a mismatch) and writes them out; the Swift tests recover them too.
"""
import itertools
import json
import random
import sys

import shamir_mnemonic
from shamir_mnemonic import cipher

SCHEMES = [
    # (group threshold, [(member threshold, member count), ...])
    (1, [(1, 1)]),
    (1, [(2, 3)]),
    (1, [(3, 5)]),
    (1, [(16, 16)]),
    (2, [(1, 1), (1, 1), (2, 3)]),
    (2, [(2, 3), (3, 5)]),
    (3, [(1, 1), (2, 2), (2, 4), (3, 3)]),
    (1, [(2, 2), (1, 1)]),
    (4, [(1, 1), (2, 3), (1, 1), (2, 2)]),
]
PASSPHRASES = ["", "TREZOR", " spaces and ~punctuation! "]


def generate():
    rng = random.Random(39)
    cases = []
    for n, (group_threshold, groups) in enumerate(SCHEMES):
        for length in (16, 20, 24, 32):
            secret = bytes(rng.randrange(256) for _ in range(length))
            passphrase = PASSPHRASES[(n + length) % len(PASSPHRASES)]
            extendable = (n + length // 4) % 2 == 0
            exponent = (n + length) % 3
            mnemonics = shamir_mnemonic.generate_mnemonics(
                group_threshold, groups, secret, passphrase.encode(), extendable, exponent)
            # One minimal set the reference itself accepts, to pin down what it recovers.
            minimal = [group[:threshold] for group, (threshold, _) in zip(mnemonics, groups)][:group_threshold]
            flat = list(itertools.chain.from_iterable(minimal))
            assert shamir_mnemonic.combine_mnemonics(flat, passphrase.encode()) == secret
            share = shamir_mnemonic.share.Share.from_mnemonic(mnemonics[0][0])
            cases.append({
                "master_secret": secret.hex(),
                "passphrase": passphrase,
                "extendable": extendable,
                "iteration_exponent": exponent,
                "identifier": share.identifier,
                "encrypted_master_secret": cipher.encrypt(
                    secret, passphrase.encode(), exponent, share.identifier, extendable).hex(),
                "group_threshold": group_threshold,
                "groups": [[t, c] for t, c in groups],
                "mnemonics": mnemonics,
            })
    json.dump({
        "source": "PyPI shamir-mnemonic 0.3.0 (trezor/python-shamir-mnemonic), scripts/vectors/slip39_shamir_mnemonic.py",
        "cases": cases,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


COFFER_SCHEMES = [
    ["--threshold", "1", "--shares", "1"],
    ["--threshold", "2", "--shares", "3"],
    ["--threshold", "5", "--shares", "7", "--no-extendable"],
    ["--groups", "2of3,3of5", "--group-threshold", "2"],
    ["--groups", "1of1,1of1,2of3", "--group-threshold", "2", "--iteration-exponent", "0"],
    ["--groups", "2of2,3of4,1of1,2of5", "--group-threshold", "3", "--no-extendable", "--iteration-exponent", "2"],
    ["--groups", "4of4", "--iteration-exponent", "0"],
    ["--groups", "2of3,2of3", "--group-threshold", "1"],
    ["--threshold", "16", "--shares", "16", "--iteration-exponent", "0"],
]


def coffer(binary):
    """Splits with `coffer shamir split`, recovers with the reference, prints the fixture."""
    import subprocess
    import tempfile

    rng = random.Random(1039)
    cases = []
    for n, options in enumerate(COFFER_SCHEMES):
        length = (16, 20, 24, 32)[n % 4]
        secret = bytes(rng.randrange(256) for _ in range(length))
        passphrase = PASSPHRASES[n % len(PASSPHRASES)]
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write(passphrase + "\n")
        result = subprocess.run(
            [binary, "shamir", "split", *options, "--passphrase-file", f.name],
            input=secret.hex() + "\n", capture_output=True, text=True, check=True)
        lines = result.stdout.split("\n")[:-1]
        shares = [shamir_mnemonic.share.Share.from_mnemonic(line) for line in lines]
        first = shares[0]
        groups = []
        for line, share in zip(lines, shares):
            if share.group_index == len(groups):
                groups.append([])
            groups[share.group_index].append(line)
        assert len(groups) == first.group_count and sum(map(len, groups)) == len(lines)
        # The reference wants exactly the threshold of groups and of members in each: take the
        # last groups and the last shares of each, to differ from what the Swift tests pick.
        minimal = []
        for group in groups[len(groups) - first.group_threshold:]:
            threshold = shamir_mnemonic.share.Share.from_mnemonic(group[0]).member_threshold
            minimal += group[len(group) - threshold:]
        recovered = shamir_mnemonic.combine_mnemonics(minimal, passphrase.encode())
        if recovered != secret:
            sys.exit(f"case {n + 1} ({' '.join(options)}): the reference recovered another secret")
        print(f"case {n + 1} ({' '.join(options)}): recovered by shamir-mnemonic from "
              f"{len(minimal)} of {len(lines)} shares", file=sys.stderr)
        cases.append({
            "master_secret": secret.hex(),
            "passphrase": passphrase,
            "extendable": first.extendable,
            "iteration_exponent": first.iteration_exponent,
            "identifier": first.identifier,
            "group_threshold": first.group_threshold,
            "groups": [[shamir_mnemonic.share.Share.from_mnemonic(g[0]).member_threshold, len(g)] for g in groups],
            "mnemonics": groups,
            "options": options,
        })
    json.dump({
        "source": "coffer shamir split, every case recovered by PyPI shamir-mnemonic 0.3.0 "
                  "(scripts/vectors/slip39_shamir_mnemonic.py coffer)",
        "cases": cases,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["generate"]:
        generate()
    elif sys.argv[1:2] == ["coffer"] and len(sys.argv) == 3:
        coffer(sys.argv[2])
    else:
        sys.exit(__doc__)
