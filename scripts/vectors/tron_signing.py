#!/usr/bin/env python3
"""Writes Tests/Vectors/generated/tron_signing_tronpy.json.

Development-time only (the Swift tests read the JSON and never need Python):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install tronpy==0.6.2
    /tmp/venv/bin/python scripts/vectors/tron_signing.py

raw_data_hex values are TRON transactions as the java-tron HTTP API returns them (from TRON's API
documentation and a signed TriggerSmartContract seen on the network). For each key, tronpy signs
txID = SHA-256(raw_data) and gives r || s || v with v = 0 or 1; TronWeb writes v + 27 (1b/1c) and
java-tron accepts both, so Coffer must produce the same r || s and v + 27.
"""
import hashlib
import json
import pathlib

from tronpy.keys import PrivateKey

RAW_DATA = [
    # TransferContract, TRON docs (createtransaction walkthrough)
    "0a02193b2208aaecd88e4e0e752840e098909f9b305a68080112640a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412330a154198927ffb9f554dc4a453c64b2e553a02d6df514b121541d0b69631440f0a494bb51f7eee68ff5c593c00f01880ade20470b4d58c9f9b30",
    # TransferContract, java-tron HTTP API docs (getapprovedlist)
    "0a02163d220877ef4ace148b05ba40d8c5e5a6a32d5a69080112630a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412320a1541a7d8a35b260395c14aa456297662092ba3b76fc01215415a523b449890854c8fc460ab602df9f31fe4293f18c0843d2802709af4e1a6a32d",
    # TriggerSmartContract (TRC-20 transfer) with fee_limit
    "0a028ad92208eaef69105495eb1540f09fc0cfcd335aae01081f12a9010a31747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e54726967676572536d617274436f6e747261637412740a1541495511a493d8c362be4267224e6d81013a6862ee121541eca9bc828a3005b9a3b909f2cc5c2a54794de05f2244a9059cbb00000000000000000000004150125bea243a640bf85348873b6c4f3c517aee7a00000000000000000000000000000000000000000000000000000000000000017090cbbccfcd33900180c2d72f",
    # AccountPermissionUpdateContract, TRON docs
    "0a02848a2208305274c7f1f088da40889accf0e5325aea01082e12e5010a3c747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e4163636f756e745065726d697373696f6e557064617465436f6e747261637412a4010a1541fd49eda0f23ff7ec1d03b52c3a45991c24cd440e12241a056f776e657220013a190a1541fd49eda0f23ff7ec1d03b52c3a45991c24cd440e1001226508021a0761637469766530200232207fff1fc0037e00000000000000000000000000000000000000000000000000003a190a1541fd49eda0f23ff7ec1d03b52c3a45991c24cd440e10013a190a154198927ffb9f554dc4a453c64b2e553a02d6df514b100170c0cac8f0e532",
]
KEYS = [
    "0000000000000000000000000000000000000000000000000000000000000001",
    "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d",
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140",
]

if __name__ == "__main__":
    cases = []
    for raw in RAW_DATA:
        txid = hashlib.sha256(bytes.fromhex(raw)).digest()
        for key in KEYS:
            private = PrivateKey(bytes.fromhex(key))
            signature = private.sign_msg_hash(txid)
            assert signature.recover_public_key_from_msg_hash(txid) == private.public_key
            cases.append({
                "raw_data_hex": raw, "private_key": key, "address": private.public_key.to_base58check_address(),
                "txID": txid.hex(), "tronpy_signature": signature.hex(),
            })
    out = pathlib.Path(__file__).resolve().parents[2] / "Tests/Vectors/generated/tron_signing_tronpy.json"
    out.write_text(json.dumps({"generator": "scripts/vectors/tron_signing.py with tronpy 0.6.2", "cases": cases}, indent=1) + "\n")
    print(f"wrote {out}")
