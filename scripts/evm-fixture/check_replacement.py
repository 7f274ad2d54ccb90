#!/usr/bin/env python3
"""Checks the fixture's same-nonce replacement against geth's txpool rules, by hand.

    .build/evm-venv/bin/python scripts/evm-fixture/check_replacement.py

Starts server.py on a free port, signs transactions with eth_account from the first test
account's key and prints each check as ok/FAIL with the node's answer; exits 1 on a failure.
"""

import json
import os
import subprocess
import sys
import urllib.request

from eth_account import Account

HERE = os.path.dirname(os.path.abspath(__file__))
GWEI = 10**9
CHAIN_ID = 1337
failures = []


def check(name, condition, detail=""):
    print(("ok    " if condition else "FAIL  ") + name + (f"  [{detail}]" if detail else ""))
    if not condition:
        failures.append(name)


class Node:
    def __init__(self, port):
        self.url = f"http://127.0.0.1:{port}"
        self.next_id = 0

    def raw_call(self, method, *params):
        self.next_id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": list(params)}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())

    def __call__(self, method, *params):
        answer = self.raw_call(method, *params)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def send(self, raw):
        """The whole answer of eth_sendRawTransaction: {'result': hash} or {'error': {...}}."""
        return self.raw_call("eth_sendRawTransaction", "0x" + raw.hex())


def sign(key, nonce, max_fee=None, tip=None, gas_price=None, to="0x" + "22" * 20, value=1):
    transaction = {"chainId": CHAIN_ID, "nonce": nonce, "to": to, "value": value, "gas": 21_000}
    if gas_price is not None:
        transaction["gasPrice"] = gas_price
    else:
        transaction.update(type=2, maxFeePerGas=max_fee, maxPriorityFeePerGas=tip)
    signed = Account.sign_transaction(transaction, key)
    return bytes(signed.raw_transaction), "0x" + bytes(signed.hash).hex()


def error_of(answer):
    error = answer.get("error")
    return None if error is None else (error["code"], error["message"])


def main():
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), "--port", "0", "--watch-stdin"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        node = Node(int(server.stdout.readline()))
        run(node)
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    print(f"\n{len(failures)} failure(s)" + (": " + ", ".join(failures) if failures else ""))
    sys.exit(1 if failures else 0)


def pending_hashes(node):
    return node("eth_getBlockByNumber", "pending", False)["transactions"]


def run(node):
    key = "0x" + (1).to_bytes(32, "big").hex()  # eth-tester's first test account
    sender = Account.from_key(key).address.lower()
    accounts = node("eth_accounts")
    check("the key 0x..01 is eth_accounts[0]", accounts[0] == sender, sender)

    # One mined transaction first, so that the nonce under test is not 0.
    node("fixture_send", {"to": "0x" + "33" * 20, "value": "0x1"})
    node("evm_mine")
    n = int(node("eth_getTransactionCount", sender, "latest"), 16)
    check("latest nonce after one mined transaction is 1", n == 1, str(n))

    fee, tip = 100 * GWEI, 2 * GWEI
    raw_a, hash_a = sign(key, n, fee, tip)
    answer = node.send(raw_a)
    check("A (nonce n) is accepted", answer.get("result") == hash_a, json.dumps(answer))
    hash_x = node("fixture_send", {"from": 1, "to": "0x" + "44" * 20, "value": "0x2"})  # another sender between
    raw_a2, hash_a2 = sign(key, n + 1, fee, tip)
    check("A2 (nonce n+1) is accepted", node.send(raw_a2).get("result") == hash_a2)
    check("pending block is [A, X, A2]", pending_hashes(node) == [hash_a, hash_x, hash_a2], json.dumps(pending_hashes(node)))
    pending_before = node("eth_getBlockByNumber", "pending", False)

    answer = node.send(raw_a)
    check("resending A's bytes: -32000 already known", error_of(answer) == (-32000, "already known"), json.dumps(answer))

    underpriced = (-32000, "replacement transaction underpriced")
    for label, new_fee, new_tip in [
        ("+5% both", fee * 105 // 100, tip * 105 // 100),
        ("+10% fee cap, +5% tip", fee * 110 // 100, tip * 105 // 100),
        ("+5% fee cap, +10% tip", fee * 105 // 100, tip * 110 // 100),
        ("+10% fee cap, same tip", fee * 110 // 100, tip),
        ("one wei short of +10% tip", fee * 110 // 100, tip * 110 // 100 - 1),
    ]:
        raw_b, hash_b = sign(key, n, new_fee, new_tip)
        answer = node.send(raw_b)
        check(f"B {label}: underpriced", error_of(answer) == underpriced, json.dumps(answer))
        check(f"B {label}: unknown afterwards", node("eth_getTransactionByHash", hash_b) is None)
    check("pending block unchanged after the refusals", pending_hashes(node) == [hash_a, hash_x, hash_a2])

    # A replacement the rebuilt block cannot take (it costs more than the balance): nothing changes.
    raw_big, hash_big = sign(key, n, fee * 2, tip * 2, value=2 * 10**24)
    answer = node.send(raw_big)
    check("replacement beyond the balance is refused", "error" in answer, json.dumps(answer))
    check("...and the pending block is as before", node("eth_getBlockByNumber", "pending", False) == pending_before)

    raw_c, hash_c = sign(key, n, fee * 110 // 100, tip * 110 // 100)
    answer = node.send(raw_c)
    check("C +10% both fees replaces A: answers C's hash", answer.get("result") == hash_c, json.dumps(answer))
    check("pending block is [C, X, A2] (C in A's place)", pending_hashes(node) == [hash_c, hash_x, hash_a2], json.dumps(pending_hashes(node)))
    pending_after = node("eth_getBlockByNumber", "pending", False)
    check("pending block keeps its timestamp and number",
          (pending_after["timestamp"], pending_after["number"]) == (pending_before["timestamp"], pending_before["number"]))
    check("eth_getTransactionByHash(A) is null", node("eth_getTransactionByHash", hash_a) is None)
    check("eth_getTransactionReceipt(A) is null", node("eth_getTransactionReceipt", hash_a) is None)
    check("eth_getRawTransactionByHash(A) is null", node("eth_getRawTransactionByHash", hash_a) is None)
    tx_c = node("eth_getTransactionByHash", hash_c)
    check("C is known and waiting (blockNumber null)", tx_c is not None and tx_c["blockNumber"] is None, json.dumps(tx_c))
    check("C's fees as signed", tx_c and int(tx_c["maxFeePerGas"], 16) == fee * 110 // 100
          and int(tx_c["maxPriorityFeePerGas"], 16) == tip * 110 // 100)
    pending_count = int(node("eth_getTransactionCount", sender, "pending"), 16)
    latest_count = int(node("eth_getTransactionCount", sender, "latest"), 16)
    check("pending count = n+2 (C and A2 waiting)", pending_count == n + 2, str(pending_count))
    check("latest count = n", latest_count == n, str(latest_count))

    raw_old, _ = sign(key, n - 1, fee, tip)
    answer = node.send(raw_old)
    check("nonce n-1 (mined): nonce too low", error_of(answer) == (-32000, f"nonce too low: next nonce {n}, tx nonce {n - 1}"),
          json.dumps(answer))

    raw_gap, _ = sign(key, n + 5, fee, tip)
    answer = node.send(raw_gap)
    print(f"      (for information) nonce gap n+5: {json.dumps(answer)}")

    node("evm_mine")
    receipt_c = node("eth_getTransactionReceipt", hash_c)
    check("after evm_mine: receipt of C status 1", receipt_c is not None and receipt_c["status"] == "0x1", json.dumps(receipt_c))
    block = node("eth_getBlockByNumber", "latest", False)
    check("mined block is [C, X, A2]", block["transactions"] == [hash_c, hash_x, hash_a2], json.dumps(block["transactions"]))
    check("after mining: eth_getTransactionByHash(A) null", node("eth_getTransactionByHash", hash_a) is None)
    check("after mining: eth_getTransactionReceipt(A) null", node("eth_getTransactionReceipt", hash_a) is None)
    check("after mining: pending block empty", pending_hashes(node) == [])
    check("after mining: latest = pending = n+2",
          int(node("eth_getTransactionCount", sender, "latest"), 16) == n + 2 == int(node("eth_getTransactionCount", sender, "pending"), 16))
    answer = node.send(raw_c)
    check("resending C's bytes after mining: nonce too low",
          error_of(answer) == (-32000, f"nonce too low: next nonce {n + 2}, tx nonce {n}"), json.dumps(answer))
    answer = node.send(raw_a)
    check("resending A's bytes after mining: nonce too low",
          error_of(answer) == (-32000, f"nonce too low: next nonce {n + 2}, tx nonce {n}"), json.dumps(answer))

    # Legacy transactions: gasPrice is both the fee cap and the tip.
    m = n + 2
    raw_l, hash_l = sign(key, m, gas_price=50 * GWEI)
    check("legacy L accepted", node.send(raw_l).get("result") == hash_l)
    raw_l2, _ = sign(key, m, gas_price=50 * GWEI * 109 // 100)
    check("legacy +9%: underpriced", error_of(node.send(raw_l2)) == underpriced)
    raw_l3, hash_l3 = sign(key, m, max_fee=55 * GWEI, tip=55 * GWEI)
    answer = node.send(raw_l3)
    check("type-2 with fee cap = tip = +10% replaces legacy", answer.get("result") == hash_l3, json.dumps(answer))
    check("pending block is [L3]", pending_hashes(node) == [hash_l3])

    # Snapshots: the pending set (with a replacement in it) is dropped on revert.
    snapshot = node("evm_snapshot")
    m = m + 1
    raw_d, hash_d = sign(key, m, fee, tip)
    node.send(raw_d)
    raw_e, hash_e = sign(key, m, fee * 2, tip * 2)
    check("E replaces D", node.send(raw_e).get("result") == hash_e)
    node("evm_mine")
    check("E mined", node("eth_getTransactionReceipt", hash_e)["status"] == "0x1")
    raw_f, hash_f = sign(key, m + 1, fee, tip)
    node.send(raw_f)
    check("evm_revert answers true", node("evm_revert", snapshot) is True)
    check("after revert: pending empty", pending_hashes(node) == [])
    for label, tx_hash in (("L3", hash_l3), ("D", hash_d), ("E", hash_e), ("F", hash_f)):
        check(f"after revert: {label} unknown", node("eth_getTransactionByHash", tx_hash) is None)
    count = int(node("eth_getTransactionCount", sender, "pending"), 16)
    check("after revert: pending count = latest count = m-1", count == m - 1 == int(node("eth_getTransactionCount", sender, "latest"), 16), str(count))
    raw_g, hash_g = sign(key, m - 1, fee, tip)
    check("after revert: nonce m-1 sendable again", node.send(raw_g).get("result") == hash_g)
    raw_h, hash_h = sign(key, m - 1, fee * 11 // 10, tip * 11 // 10)
    check("after revert: and replaceable", node.send(raw_h).get("result") == hash_h)
    node("evm_mine")
    check("after revert: H mined", node("eth_getTransactionReceipt", hash_h)["status"] == "0x1")
    check("after revert: G unknown", node("eth_getTransactionByHash", hash_g) is None)

    # A replacement that would leave a later waiting transaction unfunded is refused whole.
    other_key = "0x" + "aa" * 32
    other = Account.from_key(other_key).address  # checksummed: eth_account refuses a lowercase `to`
    nonce = int(node("eth_getTransactionCount", sender, "pending"), 16)
    raw_fund, hash_fund = sign(key, nonce, fee, tip, to=other, value=10**18)
    node.send(raw_fund)
    raw_y, hash_y = sign(other_key, 0, fee, tip, value=10**18 // 2)
    check("Y, funded by a waiting transaction, is accepted", node.send(raw_y).get("result") == hash_y)
    before = node("eth_getBlockByNumber", "pending", False)
    raw_unfund, hash_unfund = sign(key, nonce, fee * 2, tip * 2, to=other, value=0)
    answer = node.send(raw_unfund)
    check("a replacement that unfunds Y is refused, naming Y", "error" in answer and hash_y in answer["error"]["message"],
          json.dumps(answer))
    check("...and the pending block is as before", node("eth_getBlockByNumber", "pending", False) == before)
    check("...and the refused replacement is unknown", node("eth_getTransactionByHash", hash_unfund) is None)
    node("evm_mine")
    check("Y mined", node("eth_getTransactionReceipt", hash_y)["status"] == "0x1")


if __name__ == "__main__":
    main()
