#!/usr/bin/env python3
"""Writes Tests/Vectors/generated/solana_transactions_solders.json.

Development-time only (the Swift tests read the JSON and never need Python):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install solders==0.29.0
    /tmp/venv/bin/python scripts/vectors/solana_transactions.py

Legacy and v0 (address-lookup-table) transactions built and signed by solders, with one and two
signers. For each: the signers' 32-byte seeds and Solana CLI keypair arrays, the message, the
unsigned transaction (zeroed signatures), the fully signed transaction and its first signature.
Ed25519 (RFC 8032) is deterministic, so Coffer must produce the same bytes.
"""
import base64
import json
import pathlib

from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message, MessageV0, to_bytes_versioned
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import CreateAccountParams, TransferParams, create_account, transfer
from solders.transaction import Transaction, VersionedTransaction


def keypair(i):
    return Keypair.from_seed(bytes([i]) * 32)


def pubkey(i):
    return Pubkey(bytes([0x80 + i]) * 32)


BLOCKHASH = Hash(bytes(range(32)))
MEMO = Pubkey.from_string("MemoSq4gqABAXKQ96Pf7BmZr5RzwL5dDLTcFkhNgaH6")


def cases():
    payer, other = keypair(1), keypair(2)
    transfer_ix = transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=pubkey(1), lamports=1_000_000_007))
    create_ix = create_account(CreateAccountParams(
        from_pubkey=payer.pubkey(), to_pubkey=other.pubkey(), lamports=2_039_280, space=165, owner=pubkey(2)))
    memo_ix = Instruction(MEMO, "coffer \u2713".encode(), [AccountMeta(payer.pubkey(), True, True)])
    lookup = AddressLookupTableAccount(key=pubkey(9), addresses=[pubkey(1), pubkey(3), pubkey(4), MEMO])
    wide_ix = Instruction(pubkey(2), bytes(range(40)), [
        AccountMeta(pubkey(3), False, True), AccountMeta(pubkey(4), False, False), AccountMeta(other.pubkey(), True, False)])

    built = [
        ("legacy transfer, one signer", False, [payer], Message.new_with_blockhash([transfer_ix], payer.pubkey(), BLOCKHASH)),
        ("legacy create_account + memo, two signers", False, [payer, other],
         Message.new_with_blockhash([create_ix, memo_ix], payer.pubkey(), BLOCKHASH)),
        ("v0 transfer through a lookup table, one signer", True, [payer],
         MessageV0.try_compile(payer.pubkey(), [transfer_ix, memo_ix], [lookup], BLOCKHASH)),
        ("v0 two signers, writable and readonly lookups", True, [payer, other],
         MessageV0.try_compile(payer.pubkey(), [transfer_ix, wide_ix], [lookup], BLOCKHASH)),
    ]
    out = []
    for name, versioned, signers, message in built:
        required = message.header.num_required_signatures
        assert required == len(signers)
        if versioned:
            message_bytes = to_bytes_versioned(message)
            unsigned = VersionedTransaction.populate(message, [Signature.default()] * required)
            signed = VersionedTransaction(message, signers)
        else:
            message_bytes = bytes(message)
            unsigned = Transaction.new_unsigned(message)
            signed = Transaction(signers, message, BLOCKHASH)
        assert bytes(signed)[1 + 64 * required:] == message_bytes
        out.append({
            "name": name, "version": "v0" if versioned else "legacy",
            "signer_seeds": [bytes(k)[:32].hex() for k in signers],
            "signer_keypair_json": [json.dumps(list(bytes(k))) for k in signers],
            "signer_addresses": [str(k.pubkey()) for k in signers],
            "message": base64.b64encode(message_bytes).decode(),
            "unsigned_transaction": base64.b64encode(bytes(unsigned)).decode(),
            "signed_transaction": base64.b64encode(bytes(signed)).decode(),
            "signature": str(signed.signatures[0]),
            "account_key_count": len(message.account_keys),
            "instruction_count": len(message.instructions),
            "lookup_count": len(message.address_table_lookups) if versioned else 0,
        })
    return out


if __name__ == "__main__":
    path = pathlib.Path(__file__).resolve().parents[2] / "Tests/Vectors/generated/solana_transactions_solders.json"
    path.write_text(json.dumps({"generator": "scripts/vectors/solana_transactions.py with solders 0.29.0", "cases": cases()}, indent=1) + "\n")
    print(f"wrote {path}")
