#!/usr/bin/env python3
"""Fills a regtest Litecoin Core node with blocks of exactly N wallet payments each, for
`scripts/bench-chain` (issue 14). Standard library only.

The node must run with a cookie file and no wallet loaded yet. Steps:

  1. a funding wallet `fund`; 110 blocks mined to it (10 coinbases mature);
  2. a fan-out: `sendmany` to --coins new wallet addresses (coins of 0.2 LTC), mined;
  3. --blocks times: --per-block payments, each paying one fresh p2wpkh address (a --share of
     them written to --watch-file, the rest not) and spending one confirmed coin of its own, its
     change to a new wallet address; then one block mined. The change outputs are the next
     block's coins. Payments are built with explicit inputs (`createrawtransaction`, signed by
     `signrawtransactionwithwallet`, `sendrawtransaction`), in JSON-RPC batches: `sendtoaddress`
     did the same but ran the wallet's coin selection over every coin for each payment, 280 ms
     a payment (4.7 minutes a block) on this machine.

Recipients are p2wpkh addresses of random 20-byte hashes (nobody holds their keys: the node only
has to pay them). Prints one JSON object: {"from", "to", "blocks", "transactions", "payments",
"watched_payments"}; progress goes to stderr.
"""
import argparse
import base64
import http.client
import json
import os
import random
import sys
import time
import urllib.parse

# --- Bech32 (BIP173) for p2wpkh addresses -------------------------------------------------------

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values):
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if ((top >> i) & 1) else 0
    return checksum


def _convert_bits(data, source, target):
    accumulator, bits, result = 0, 0, []
    for value in data:
        accumulator = (accumulator << source) | value
        bits += source
        while bits >= target:
            bits -= target
            result.append((accumulator >> bits) & ((1 << target) - 1))
    if bits:
        result.append((accumulator << (target - bits)) & ((1 << target) - 1))
    return result


def p2wpkh_address(hrp, program):
    data = [0] + _convert_bits(program, 8, 5)
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _polymod(expanded + data + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[d] for d in data + checksum)


# --- JSON-RPC ----------------------------------------------------------------------------------


class Node:
    def __init__(self, url, cookie_file):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        with open(cookie_file) as handle:
            self.auth = "Basic " + base64.b64encode(handle.read().strip().encode()).decode()
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=600)

    def _post(self, path, body):
        for attempt in range(3):
            try:
                self.connection.request("POST", path, json.dumps(body),
                                        {"Authorization": self.auth, "Content-Type": "application/json"})
                response = self.connection.getresponse()
                return json.loads(response.read())
            except (http.client.HTTPException, ConnectionError):
                if attempt == 2:
                    raise
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=600)

    def call(self, method, *params, wallet=None):
        return self.batch([(method, list(params))], wallet=wallet)[0]

    def batch(self, calls, wallet=None):
        """Several calls in one request; results in order. Any call's error fails the batch."""
        if not calls:
            return []
        body = [{"jsonrpc": "1.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
        answer = self._post("/wallet/" + wallet if wallet else "/", body)
        if isinstance(answer, dict):
            raise RuntimeError(f"batch refused: {answer.get('error')}")
        results = [None] * len(calls)
        for item in answer:
            if item.get("error"):
                raise RuntimeError(f"{calls[item['id']][0]} failed: {item['error']}")
            results[item["id"]] = item["result"]
        return results


# Each payment's fee, in litoshi (about 70 per virtual byte: well above the relay minimum).
FEE = 10_000


def log(text):
    print(f"bench-chain: {text}", file=sys.stderr, flush=True)


def litoshi(amount):
    return f"{amount // 100_000_000}.{amount % 100_000_000:08d}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--cookie", required=True)
    parser.add_argument("--blocks", type=int, default=10)
    parser.add_argument("--per-block", type=int, default=1000)
    parser.add_argument("--share", type=float, default=0.1, help="fraction of payments to watched addresses")
    parser.add_argument("--coins", type=int, default=1100, help="confirmed coins fanned out first")
    parser.add_argument("--watch-file", required=True)
    parser.add_argument("--batch", type=int, default=250, help="calls per JSON-RPC batch")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--hrp", default="rltc")
    options = parser.parse_args()
    if options.coins < options.per_block:
        parser.error("--coins must be at least --per-block")
    rng = random.Random(options.seed)
    node = Node(options.url, options.cookie)

    node.call("createwallet", "fund")
    fund = node.call("getnewaddress", "", "bech32", wallet="fund")
    node.call("generatetoaddress", 110, fund)
    # Coinbases from here on pay nobody the wallet knows: its coins stay the fan-out's.
    burn = p2wpkh_address(options.hrp, os.urandom(20))

    # Fan-out: --coins confirmed coins of 0.2 LTC, in transactions of at most 500 outputs.
    addresses = node.batch([("getnewaddress", ["", "bech32"])] * options.coins, wallet="fund")
    for start in range(0, len(addresses), 500):
        outputs = {address: "0.20000000" for address in addresses[start:start + 500]}
        node.call("sendmany", "", outputs, wallet="fund")
    node.call("generatetoaddress", 1, burn)
    log(f"{options.coins} coins of 0.2 LTC confirmed at height {node.call('getblockcount')}")

    # The coins to spend, tracked here from now on: (txid, vout, litoshi).
    coins = [(c["txid"], c["vout"], round(c["amount"] * 100_000_000))
             for c in node.call("listunspent", 1, 9_999_999, addresses, wallet="fund")]
    if len(coins) != options.coins:
        raise RuntimeError(f"the fan-out left {len(coins)} coins, not {options.coins}")

    watched_count = round(options.per_block * options.share)
    first = node.call("getblockcount") + 1
    transactions = payments = watched_payments = 0
    with open(options.watch_file, "w") as watch:
        for block in range(options.blocks):
            started = time.monotonic()
            kinds = [True] * watched_count + [False] * (options.per_block - watched_count)
            rng.shuffle(kinds)
            changes = node.batch([("getrawchangeaddress", ["bech32"])] * options.per_block, wallet="fund")
            spent, coins = coins[:options.per_block], coins[options.per_block:]
            creates = []
            for is_watched, (txid, vout, value), change in zip(kinds, spent, changes):
                address = p2wpkh_address(options.hrp, rng.randbytes(20))
                if is_watched:
                    watch.write(address + "\n")
                # 0.001 LTC and a few litoshi more, so amounts differ; the rest back as change.
                amount = 100_000 + rng.randrange(100_000)
                rest = value - amount - FEE
                creates.append(("createrawtransaction", [[{"txid": txid, "vout": vout}],
                                                         [{address: litoshi(amount)}, {change: litoshi(rest)}]]))
                coins.append((None, 1, rest))
            raw = []
            for start in range(0, len(creates), options.batch):
                raw += node.batch(creates[start:start + options.batch])
            signed = []
            for start in range(0, len(raw), options.batch):
                for answer in node.batch([("signrawtransactionwithwallet", [hex_])for hex_ in raw[start:start + options.batch]],
                                         wallet="fund"):
                    if not answer["complete"]:
                        raise RuntimeError(f"the wallet could not sign: {answer.get('errors')}")
                    signed.append(answer["hex"])
            txids = []
            for start in range(0, len(signed), options.batch):
                txids += node.batch([("sendrawtransaction", [hex_]) for hex_ in signed[start:start + options.batch]])
            # The change outputs (vout 1) are the next block's coins.
            coins[-options.per_block:] = [(txid, 1, rest) for txid, (_, _, rest) in zip(txids, coins[-options.per_block:])]
            mempool = node.call("getmempoolinfo")["size"]
            if mempool != options.per_block:
                raise RuntimeError(f"block {block + 1}: the mempool holds {mempool} transactions, not {options.per_block}")
            [hash] = node.call("generatetoaddress", 1, burn)
            info = node.call("getblock", hash, 1)
            if info["nTx"] != options.per_block + 1:
                raise RuntimeError(f"block {info['height']} has {info['nTx']} transactions, not {options.per_block} and the coinbase")
            transactions += info["nTx"]
            payments += options.per_block
            watched_payments += watched_count
            log(f"block {info['height']}: {info['nTx']} transactions ({options.per_block} payments, {watched_count} watched), "
                f"{info['size']} bytes, made in {time.monotonic() - started:.1f} s")
    last = node.call("getblockcount")
    print(json.dumps({"from": first, "to": last, "blocks": last - first + 1, "transactions": transactions,
                      "payments": payments, "watched_payments": watched_payments}))


if __name__ == "__main__":
    main()
