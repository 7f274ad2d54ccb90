#!/usr/bin/env python3
"""Generates Tests/Vectors/generated/bitcoin-psbt-embit.json with embit (pip install embit==0.8.0).

PSBTs spending p2wpkh (BIP84) and p2tr key-path (BIP86) outputs of the "abandon ... about"
mnemonic, with embit's own sighashes and signatures: ECDSA is RFC 6979 without low-R grinding,
Schnorr uses 32 zero bytes of auxiliary randomness, so both are deterministic and the Swift
signer must reproduce them byte for byte. Development-time only.

embit 0.8.0's taproot sighash departs from BIP341 for ANYONECANPAY (it hashes the whole input,
not the outpoint) and for SINGLE (it hashes the output itself, not its SHA256), so those are left
to BIP341's own vectors (which cover 0x01-0x03 and 0x81-0x83); the taproot input below uses
SIGHASH_ALL, which makes a 65-byte signature.
"""
import json
from io import BytesIO

from embit import bip32, bip39, ec, hashes
from embit.util import secp256k1
from embit.psbt import PSBT, DerivationPath
from embit.script import Script, Witness, p2wpkh, p2tr
from embit.transaction import Transaction, TransactionInput, TransactionOutput

MNEMONIC = "abandon " * 11 + "about"
root = bip32.HDKey.from_seed(bip39.mnemonic_to_seed(MNEMONIC))
FINGERPRINT = root.my_fingerprint
H = 0x80000000


def path(text):
    return [int(p[:-1]) + H if p.endswith("'") else int(p) for p in text.split("/")[1:]]


def key(text):
    return root.derive(path(text))


def txid(n):
    return hashes.sha256(b"coffer-test-utxo-%d" % n)


def previous_tx(output, vout, n):
    """A funding transaction with `output` at index `vout`."""
    outs = [TransactionOutput(1000 + i, Script(b"\x6a\x01" + bytes([i]))) for i in range(vout)] + [output]
    return Transaction(version=2, vin=[TransactionInput(txid(100 + n), 0)], vout=outs, locktime=0)


def build(case, inputs, outputs, locktime=0):
    """inputs: dicts with kind (p2wpkh/p2tr/foreign), path, value, utxo (witness/non_witness), sighash."""
    vins, prevs = [], []
    for n, spec in enumerate(inputs):
        if spec["kind"] == "foreign":
            foreign = ec.PrivateKey(hashes.sha256(b"not ours"))
            script = p2wpkh(foreign.get_public_key())
        elif spec["kind"] == "p2wpkh":
            script = p2wpkh(key(spec["path"]).get_public_key())
        else:
            script = p2tr(key(spec["path"]).get_public_key())
        out = TransactionOutput(spec["value"], script)
        vout = spec.get("vout", 0)
        prev = previous_tx(out, vout, n)
        if spec.get("utxo") == "non_witness":
            vins.append(TransactionInput(prev.txid(), vout, sequence=0xFFFFFFFD))
        else:
            vins.append(TransactionInput(txid(n), vout, sequence=0xFFFFFFFD))
        prevs.append((out, prev))
    vouts = []
    for value, derivation in outputs:
        vouts.append(TransactionOutput(value, p2wpkh(key(derivation).get_public_key())))
    tx = Transaction(version=2, vin=vins, vout=vouts, locktime=locktime)
    psbt = PSBT(tx)
    for n, spec in enumerate(inputs):
        inp = psbt.inputs[n]
        out, prev = prevs[n]
        if spec.get("utxo") == "non_witness":
            inp.non_witness_utxo = prev
        else:
            inp.witness_utxo = out
        if "sighash" in spec:
            inp.sighash_type = spec["sighash"]
        if spec["kind"] == "p2wpkh":
            inp.bip32_derivations[key(spec["path"]).get_public_key()] = DerivationPath(FINGERPRINT, path(spec["path"]))
        elif spec["kind"] == "p2tr":
            pub = key(spec["path"]).get_public_key()
            inp.taproot_bip32_derivations[pub] = ([], DerivationPath(FINGERPRINT, path(spec["path"])))
            inp.taproot_internal_key = pub
    for n, (_, derivation) in enumerate(outputs):
        psbt.outputs[n].bip32_derivations[key(derivation).get_public_key()] = DerivationPath(FINGERPRINT, path(derivation))
    unsigned = psbt.to_string()

    expected = []
    final = Transaction.parse(tx.serialize())
    complete = True
    for n, spec in enumerate(inputs):
        if spec["kind"] == "foreign":
            expected.append({"index": n, "signed": False})
            complete = False
            continue
        prv = key(spec["path"]).key
        if spec["kind"] == "p2wpkh":
            sighash = spec.get("sighash", 1)
            digest = psbt.sighash(n, sighash=sighash)
            signature = prv.sign(digest, grind=False).serialize() + bytes([sighash])
            pub = prv.get_public_key().sec()
            final.vin[n].witness = Witness([signature, pub])
            expected.append({"index": n, "signed": True, "type": "p2wpkh", "sighash": digest.hex(),
                             "public_key": pub.hex(), "signature": signature.hex()})
        else:
            sighash = spec.get("sighash", 0)
            digest = psbt.sighash(n, sighash=sighash)
            tweaked = prv.taproot_tweak(b"")
            signature = secp256k1.schnorrsig_sign(digest, tweaked.secret, None, bytes(32)) + (bytes([sighash]) if sighash else b"")
            final.vin[n].witness = Witness([signature])
            expected.append({"index": n, "signed": True, "type": "p2tr-key-path", "sighash": digest.hex(),
                             "public_key": tweaked.xonly().hex(), "signature": signature.hex()})
    record = {"name": case, "psbt": unsigned, "inputs": expected}
    if complete:
        record["tx"] = final.serialize().hex()
        record["txid"] = final.txid().hex()
    return record


cases = [
    build("p2wpkh-two-inputs",
          [{"kind": "p2wpkh", "path": "m/84'/0'/0'/0/0", "value": 100_000},
           {"kind": "p2wpkh", "path": "m/84'/0'/0'/1/0", "value": 250_000, "vout": 3}],
          [(300_000, "m/84'/0'/0'/0/5"), (49_000, "m/84'/0'/0'/1/1")]),
    build("p2tr-key-path",
          [{"kind": "p2tr", "path": "m/86'/0'/0'/0/0", "value": 500_000},
           {"kind": "p2tr", "path": "m/86'/0'/0'/0/1", "value": 70_000, "vout": 1}],
          [(560_000, "m/84'/0'/0'/0/7")], locktime=800_000),
    build("mixed-with-foreign-input",
          [{"kind": "p2wpkh", "path": "m/84'/0'/0'/0/2", "value": 40_000, "utxo": "non_witness", "vout": 2},
           {"kind": "p2tr", "path": "m/86'/0'/0'/1/3", "value": 60_000},
           {"kind": "foreign", "value": 10_000}],
          [(100_000, "m/84'/0'/0'/0/8")]),
    build("non-default-sighash",
          [{"kind": "p2wpkh", "path": "m/84'/0'/0'/0/4", "value": 90_000, "sighash": 0x83},
           {"kind": "p2tr", "path": "m/86'/0'/0'/0/4", "value": 80_000, "sighash": 0x01}],
          [(150_000, "m/84'/0'/0'/0/9"), (19_000, "m/84'/0'/0'/1/2")]),
]

document = {
    "source": "scripts/vectors/bitcoin_psbt_embit.py with embit 0.8.0",
    "mnemonic": MNEMONIC,
    "master_fingerprint": FINGERPRINT.hex(),
    "xprv": root.to_string(),
    "account_zprv_84": root.derive(path("m/84'/0'/0'")).to_string(version=bytes.fromhex("04b2430c")),
    "account_xprv_86": root.derive(path("m/86'/0'/0'")).to_string(),
    "wif_84_0_0": key("m/84'/0'/0'/0/0").key.wif(),
    "cases": cases,
}
with open("Tests/Vectors/generated/bitcoin-psbt-embit.json", "w") as f:
    json.dump(document, f, indent=1)
    f.write("\n")
