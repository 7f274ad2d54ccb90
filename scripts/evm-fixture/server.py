#!/usr/bin/env python3
"""A real EVM behind Ethereum JSON-RPC over HTTP, for Coffer's chain tests.

    server.py [--port N] [--chain-id ID] [--watch-stdin]

Runs eth-tester with the py-evm backend (Prague rules) and answers JSON-RPC 2.0 POSTs (single
calls and batches) on 127.0.0.1:PORT. With --port 0 (the default) the system picks a free port.
The first line on standard output is the port number, printed once the chain exists and the
socket listens. With --watch-stdin the server exits when its standard input closes: a test
harness keeps a pipe open, so the server dies with it even when the harness is killed.

Standard methods: eth_chainId, net_version, eth_blockNumber, eth_getBlockByNumber,
eth_getBlockByHash, eth_getTransactionByHash, eth_getRawTransactionByHash,
eth_getTransactionReceipt, eth_getLogs, eth_getTransactionCount, eth_getBalance, eth_getCode,
eth_call, eth_estimateGas, eth_gasPrice, eth_maxPriorityFeePerGas, eth_feeHistory,
eth_sendRawTransaction, eth_accounts.

Test control: evm_mine([n]) -> [block hash], evm_snapshot() -> id, evm_revert(id) -> bool,
fixture_send({to, value, from?, gas?, data?}) -> tx hash, fixture_deployToken({name?, symbol?,
decimals?}) -> address, fixture_tokenTransfer({token, to, amount, from?}) -> tx hash.

How it differs from eth-tester, and why:
- Mining is manual. A transaction (sent raw or with fixture_send) is applied at once to py-evm's
  pending block, which is the fixture's mempool: it is checked when sent (nonce, balance, fees),
  several transactions of one sender can wait together, and evm_mine puts them all in the next
  block. eth-tester's own manual mode keeps one transaction per sender ("Expected 0, but got 1")
  and its auto-mine makes a block per transaction. eth_getBlockByNumber("pending") shows the
  waiting transactions; eth_getTransactionByHash answers them with blockNumber null.
- A raw transaction with the sender and nonce of a waiting one replaces it as geth's txpool does
  (eth-tester refuses any nonce but the next): accepted when both maxFeePerGas and
  maxPriorityFeePerGas (a legacy transaction's gasPrice is both) are at least 10% higher (geth's
  txpool.pricebump), and then the pending block is rebuilt with the new transaction in the old
  one's place, the old one forgotten (no transaction, no receipt, ever). Refusals are error
  -32000 in geth's words: "replacement transaction underpriced"; "already known" for the bytes
  of a waiting transaction; "nonce too low: next nonce N, tx nonce M" below the mined nonce.
  A replacement the rebuilt block cannot take (beyond the balance, or a waiting transaction it
  would leave unfunded, which geth would drop) is refused and changes nothing.
- logIndex counts across the whole block, as geth numbers it (eth-tester restarts at 0 in each
  receipt). Receipts and eth_getLogs both carry the block-wide index.
- The chain id is set (default 1337) before the first block; eth-tester's is 131277322940537.
- eth_feeHistory is computed here (eth-tester's answers a fixed oldestBlock and no rewards),
  with rewards by gas-weighted percentiles of the effective tips as geth computes them.
- eth_call runs without a balance check (eth-tester demands one even for view calls): the
  sender (the zero address unless given) is credited for the call's gas in a state that is
  thrown away afterwards. A revert is JSON-RPC error 3 with the revert data, as in geth.
- evm_revert drops the pending block (the mempool) along with the blocks after the snapshot;
  snapshots stay valid after a revert. eth_getBlockByHash knows only blocks of the best chain.
"""

import argparse
import json
import os
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from eth_tester import EthereumTester, PyEVMBackend
from eth_account.typed_transactions import BlobTransaction
from eth_tester.backends.pyevm.main import _get_block_by_number, _get_transaction_by_hash, _get_vm_for_block_number
from eth_tester.constants import BLOB_TX_TYPE
from eth_tester.exceptions import BlockNotFound, TransactionNotFound, ValidationError as TesterValidationError
from eth_utils import keccak, to_canonical_address
from eth_utils.exceptions import ValidationError as EthValidationError
from hexbytes import HexBytes

HERE = os.path.dirname(os.path.abspath(__file__))
TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
ZERO_ADDRESS = b"\x00" * 20
GWEI = 10**9
TIP = GWEI  # eth_maxPriorityFeePerGas, and the tip of the fixture's own transactions
PRICE_BUMP = 10  # percent a same-nonce replacement must raise both fees by: geth's txpool.pricebump


class RPCError(Exception):
    """A JSON-RPC error object: code, message and optional data."""

    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self):
        error = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def invalid_params(message):
    return RPCError(-32602, message)


# ---------------------------------------------------------------------------------------------
# Wire formats: quantities as 0x hex without leading zeros, data as 0x hex, addresses lowercase.


def quantity(value):
    return None if value is None else hex(int(value))


def data_hex(value):
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return value.lower()


def address_hex(value):
    if value is None or value == "" or value == b"":
        return None
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return value.lower()


def parse_quantity(value, name):
    if isinstance(value, bool):
        raise invalid_params(f"{name} must be a quantity")
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.startswith("0x") and len(value) > 2:
        try:
            return int(value, 16)
        except ValueError:
            pass
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise invalid_params(f"{name} must be a 0x hex quantity, got {value!r}")


def parse_data(value, name):
    if not isinstance(value, str) or not value.startswith("0x") or len(value) % 2:
        raise invalid_params(f"{name} must be 0x-prefixed hex bytes")
    try:
        return bytes.fromhex(value[2:])
    except ValueError:
        raise invalid_params(f"{name} must be 0x-prefixed hex bytes") from None


def parse_address(value, name):
    raw = parse_data(value, name)
    if len(raw) != 20:
        raise invalid_params(f"{name} must be a 20-byte address")
    return raw


def parse_hash(value, name):
    raw = parse_data(value, name)
    if len(raw) != 32:
        raise invalid_params(f"{name} must be a 32-byte hash")
    return "0x" + raw.hex()


def parse_block_tag(value, name="block"):
    if value in ("latest", "earliest", "pending", "safe", "finalized"):
        return value
    return parse_quantity(value, name)


def param(params, index, name, default=None, required=False):
    if index < len(params):
        return params[index]
    if required:
        raise invalid_params(f"missing parameter {index + 1} ({name})")
    return default


# ---------------------------------------------------------------------------------------------


class Fixture:
    """The chain and every method on it. One lock serialises all calls: eth-tester is not
    thread-safe, and the HTTP server answers each connection on a thread of its own."""

    def __init__(self, chain_id):
        self.lock = threading.Lock()
        self.backend = PyEVMBackend()
        # The chain class is made per backend; py-evm reads chain_id from it for every VM, so
        # setting it before the first block changes the id the whole chain signs and runs with.
        type(self.backend.chain).chain_id = chain_id
        self.chain_id = chain_id
        # auto-mine stays on in eth-tester, but the fixture sends through the backend, which
        # only applies transactions to the pending block: evm_mine decides when blocks come.
        self.tester = EthereumTester(backend=self.backend, auto_mine_transactions=True)
        self.accounts = list(self.backend.get_accounts())  # canonical bytes, all funded
        self.receipt_cache = {}  # block hash -> receipts with block-wide log indices
        self.token_code = None
        self.token_deployer = {}  # token address (bytes) -> deployer (bytes)

    @property
    def chain(self):
        # A revert to the genesis snapshot replaces the chain object: never keep it.
        return self.backend.chain

    # -- dispatch ----------------------------------------------------------------------------

    def call(self, method, params):
        handler = METHODS.get(method)
        if handler is None:
            raise RPCError(-32601, f"the method {method} does not exist/is not available")
        if not isinstance(params, list):
            raise invalid_params("params must be an array")
        with self.lock:
            try:
                return handler(self, params)
            except RPCError:
                raise
            except (TesterValidationError, EthValidationError, ValueError, TypeError) as error:
                raise RPCError(-32000, f"{method}: {error}") from None

    # -- reading the chain ---------------------------------------------------------------------

    def head_number(self):
        """The number of the newest mined block (py-evm's head is the pending block)."""
        return self.chain.get_block().number - 1

    def block_number_of(self, tag):
        if tag == "pending":
            return self.chain.get_block().number
        if tag == "earliest":
            return 0
        if isinstance(tag, int):
            return tag
        return self.head_number()

    def tester_block(self, tag, full):
        try:
            return self.tester.get_block_by_number(tag, full_transactions=full)
        except BlockNotFound:
            return None

    def serialize_block(self, block, full, pending=False):
        if block is None:
            return None
        out = {
            "number": quantity(block["number"]),
            "hash": None if pending else block["hash"],
            "parentHash": block["parent_hash"],
            "nonce": None if pending else block["nonce"],
            "sha3Uncles": block["sha3_uncles"],
            "logsBloom": bloom_hex(block["logs_bloom"]),
            "transactionsRoot": block["transactions_root"],
            "stateRoot": block["state_root"],
            "receiptsRoot": block["receipts_root"],
            "miner": None if pending else address_hex(block["coinbase"]),
            "difficulty": quantity(block["difficulty"]),
            "totalDifficulty": quantity(block.get("total_difficulty", 0)),
            "extraData": block["extra_data"],
            "size": quantity(block["size"]),
            "gasLimit": quantity(block["gas_limit"]),
            "gasUsed": quantity(block["gas_used"]),
            "timestamp": quantity(block["timestamp"]),
            "mixHash": block["mix_hash"],
            "baseFeePerGas": quantity(block.get("base_fee_per_gas")),
            "uncles": list(block["uncles"]),
        }
        for key, name in (("withdrawals_root", "withdrawalsRoot"), ("parent_beacon_block_root", "parentBeaconBlockRoot"),
                          ("requests_hash", "requestsHash")):
            if key in block:
                out[name] = block[key]
        for key, name in (("blob_gas_used", "blobGasUsed"), ("excess_blob_gas", "excessBlobGas")):
            if key in block:
                out[name] = quantity(block[key])
        if "withdrawals" in block:
            out["withdrawals"] = [
                {"index": quantity(w["index"]), "validatorIndex": quantity(w["validator_index"]),
                 "address": address_hex(w["address"]), "amount": quantity(w["amount"])}
                for w in block["withdrawals"]
            ]
        if full:
            out["transactions"] = [serialize_transaction(tx, pending) for tx in block["transactions"]]
        else:
            out["transactions"] = list(block["transactions"])
        return out

    def block_receipts(self, block):
        """The receipts of a mined block (tester form, full transactions), log indices renumbered
        across the block as geth does; cached by block hash (a hash names one content)."""
        cached = self.receipt_cache.get(block["hash"])
        if cached is not None:
            return cached
        receipts = []
        next_log_index = 0
        for tx in block["transactions"]:
            tx_hash = tx if isinstance(tx, str) else tx["hash"]
            receipt = self.tester.get_transaction_receipt(tx_hash)
            receipts.append(serialize_receipt(receipt, next_log_index))
            next_log_index += len(receipt["logs"])
        self.receipt_cache[block["hash"]] = receipts
        return receipts

    def mined_transaction(self, tx_hash):
        """The tester's form of a transaction, or None when unknown."""
        try:
            return self.tester.get_transaction_by_hash(tx_hash)
        except TransactionNotFound:
            return None

    # -- sending -------------------------------------------------------------------------------

    def account(self, value, name="from"):
        """A funded test account: an index into eth_accounts, or one of their addresses."""
        if value is None:
            return self.accounts[0]
        if isinstance(value, int) and not isinstance(value, bool):
            if 0 <= value < len(self.accounts):
                return self.accounts[value]
            raise invalid_params(f"{name}: there are {len(self.accounts)} test accounts (0...{len(self.accounts) - 1})")
        address = parse_address(value, name)
        if address not in self.accounts:
            raise invalid_params(f"{name}: {value} is not a funded test account (see eth_accounts)")
        return address

    def send_from_test_account(self, sender, to, value=0, data=b"", gas=None):
        """Signs with the test account's key and applies to the pending block; the hash."""
        base_fee = self.chain.get_block().header.base_fee_per_gas
        transaction = {
            "from": sender,
            "to": to if to is not None else b"",
            "value": value,
            "data": data,
            "nonce": self.backend.get_nonce(sender, "pending"),
            "max_priority_fee_per_gas": TIP,
            "max_fee_per_gas": 2 * base_fee + TIP,
        }
        if gas is None:
            gas = 21_000 if not data and to is not None else 3_000_000
        transaction["gas"] = gas
        return "0x" + self.backend.send_transaction(transaction).hex()

    def send_raw_transaction(self, raw):
        """Applies signed bytes to the pending block, or replaces the waiting transaction of the
        same sender and nonce (see the module's notes); the hash. Refusals in geth's words."""
        try:
            transaction = decode_raw_transaction(self.chain, raw)
            sender = transaction.sender  # recovers the signer: a bad signature is refused here
        except Exception as error:
            raise RPCError(-32000, f"transaction rejected: {error}") from None
        waiting = self.chain.get_block().transactions
        if any(tx.hash == transaction.hash for tx in waiting):
            raise RPCError(-32000, "already known")
        next_nonce = self.backend.get_nonce(sender, "latest")
        if transaction.nonce < next_nonce:
            raise RPCError(-32000, f"nonce too low: next nonce {next_nonce}, tx nonce {transaction.nonce}")
        replaced = next((index for index, tx in enumerate(waiting)
                         if tx.nonce == transaction.nonce and tx.sender == sender), None)
        try:
            if replaced is None:
                self.chain.apply_transaction(transaction)
            elif not outbids(transaction, waiting[replaced]):
                raise RPCError(-32000, "replacement transaction underpriced")
            else:
                self.rebuild_pending(waiting[:replaced] + (transaction,) + waiting[replaced + 1:], transaction)
        except RPCError:
            raise
        except Exception as error:
            # py-evm refuses with its own exceptions (ValidationError, rlp errors): the node's
            # answer to a transaction it will not take is an RPC error, never a crash.
            raise RPCError(-32000, f"transaction rejected: {error}") from None
        return "0x" + transaction.hash.hex()

    def rebuild_pending(self, transactions, replacement):
        """Makes the pending block afresh on its parent (same number and timestamp) from these
        transactions, in order. When one fails, the pending block stays as it was: the header
        names it whole (state, transaction and receipt tries all stay in the database). geth
        would take the replacement and drop a waiting transaction it invalidates (one funded by
        the replaced transaction); the fixture refuses the replacement instead."""
        before = self.chain.header
        parent = self.chain.get_block_header_by_hash(before.parent_hash)
        self.chain.header = self.chain.create_header_from_parent(parent, timestamp=before.timestamp)
        transaction = None
        try:
            for transaction in transactions:
                self.chain.apply_transaction(transaction)
        except Exception as error:
            self.chain.header = before
            if transaction is not replacement:
                raise RPCError(-32000, f"transaction rejected: the waiting transaction 0x{transaction.hash.hex()} "
                                       f"would fail after this replacement: {error}") from None
            raise
        except BaseException:
            self.chain.header = before
            raise

    def mine(self, count):
        return list(self.tester.mine_blocks(count))

    def compiled_token(self):
        if self.token_code is None:
            import vyper  # imported on first use: it adds a second to the start otherwise

            with open(os.path.join(HERE, "Token.vy")) as source:
                output = vyper.compile_code(source.read(), output_formats=["bytecode"])
            self.token_code = bytes.fromhex(output["bytecode"][2:])
        return self.token_code


def decode_raw_transaction(chain, raw):
    """py-evm's signed transaction for raw bytes, decoded as eth-tester's send_raw_transaction
    does (a blob transaction loses its sidecar, which the execution layer never sees)."""
    vm = _get_vm_for_block_number(chain, "latest")
    if raw[0] == BLOB_TX_TYPE:
        blob_transaction = BlobTransaction.from_bytes(HexBytes(raw))
        blob_transaction.blob_data = None
        raw = bytes([blob_transaction.transaction_type]) + blob_transaction.payload()
    return vm.get_transaction_builder().decode(raw)


def outbids(new, old):
    """geth's txpool rule for a same-nonce replacement (core/txpool/legacypool/list.go, Add):
    both the fee cap and the tip above the old ones and at least txpool.pricebump (10%) higher.
    A legacy or access-list transaction's gas price is both its fee cap and its tip."""
    for new_price, old_price in ((new.max_fee_per_gas, old.max_fee_per_gas),
                                 (new.max_priority_fee_per_gas, old.max_priority_fee_per_gas)):
        if new_price <= old_price or new_price < old_price * (100 + PRICE_BUMP) // 100:
            return False
    return True


def bloom_hex(value):
    if isinstance(value, int):
        return "0x" + value.to_bytes(256, "big").hex()
    return data_hex(value)


def serialize_transaction(tx, pending=False):
    out = {
        "hash": tx["hash"],
        "nonce": quantity(tx["nonce"]),
        "blockHash": None if pending else tx.get("block_hash"),
        "blockNumber": None if pending else quantity(tx.get("block_number")),
        "transactionIndex": None if pending else quantity(tx.get("transaction_index")),
        "from": address_hex(tx["from"]),
        "to": address_hex(tx.get("to")),
        "value": quantity(tx["value"]),
        "gas": quantity(tx["gas"]),
        "gasPrice": quantity(tx.get("gas_price")),
        "input": data_hex(tx.get("data", "0x")),
        "type": quantity(int(tx.get("type", "0x0"), 16)),
        "v": quantity(tx.get("v")),
        "r": quantity(tx.get("r")),
        "s": quantity(tx.get("s")),
    }
    if "chain_id" in tx:
        out["chainId"] = quantity(tx["chain_id"])
    if "max_fee_per_gas" in tx:
        out["maxFeePerGas"] = quantity(tx["max_fee_per_gas"])
        out["maxPriorityFeePerGas"] = quantity(tx["max_priority_fee_per_gas"])
    if "access_list" in tx:
        out["accessList"] = [
            {"address": address_hex(entry["address"]), "storageKeys": list(entry["storage_keys"])}
            for entry in tx["access_list"]
        ]
    if "y_parity" in tx:
        out["yParity"] = quantity(tx["y_parity"])
    return out


def serialize_log(log, log_index):
    return {
        "address": address_hex(log["address"]),
        "topics": [data_hex(topic) for topic in log["topics"]],
        "data": data_hex(log["data"]),
        "blockNumber": quantity(log["block_number"]),
        "blockHash": log["block_hash"],
        "transactionHash": log["transaction_hash"],
        "transactionIndex": quantity(log["transaction_index"]),
        "logIndex": quantity(log_index),
        "removed": False,
    }


def serialize_receipt(receipt, first_log_index):
    from eth_bloom import BloomFilter

    logs = [serialize_log(log, first_log_index + offset) for offset, log in enumerate(receipt["logs"])]
    bloom = BloomFilter()
    for log in logs:
        bloom.add(bytes.fromhex(log["address"][2:]))
        for topic in log["topics"]:
            bloom.add(bytes.fromhex(topic[2:]))
    out = {
        "transactionHash": receipt["transaction_hash"],
        "transactionIndex": quantity(receipt["transaction_index"]),
        "blockHash": receipt["block_hash"],
        "blockNumber": quantity(receipt["block_number"]),
        "from": address_hex(receipt["from"]),
        "to": address_hex(receipt.get("to")),
        "cumulativeGasUsed": quantity(receipt["cumulative_gas_used"]),
        "gasUsed": quantity(receipt["gas_used"]),
        "effectiveGasPrice": quantity(receipt["effective_gas_price"]),
        "contractAddress": address_hex(receipt.get("contract_address")),
        "logs": logs,
        "logsBloom": "0x" + int(bloom).to_bytes(256, "big").hex(),
        "status": quantity(receipt["status"]),
        "type": quantity(int(receipt.get("type", "0x0"), 16)),
    }
    # The price paid per gas, kept out of the answer, for eth_feeHistory's rewards.
    out["_price"] = receipt["effective_gas_price"]
    return out


def public_receipt(receipt):
    return {key: value for key, value in receipt.items() if not key.startswith("_")}


# ---------------------------------------------------------------------------------------------
# Methods: each takes the fixture and the params list and returns the JSON result.


def eth_chainId(fixture, params):
    return quantity(fixture.chain_id)


def net_version(fixture, params):
    return str(fixture.chain_id)


def eth_blockNumber(fixture, params):
    return quantity(fixture.head_number())


def eth_accounts(fixture, params):
    return [address_hex(account) for account in fixture.accounts]


def eth_getBlockByNumber(fixture, params):
    tag = parse_block_tag(param(params, 0, "block", required=True))
    full = bool(param(params, 1, "full transactions", False))
    if tag == "pending":
        return fixture.serialize_block(fixture.tester_block("pending", full), full, pending=True)
    if isinstance(tag, int) and tag > fixture.head_number():
        return None
    return fixture.serialize_block(fixture.tester_block(tag, full), full)


def eth_getBlockByHash(fixture, params):
    block_hash = parse_hash(param(params, 0, "block hash", required=True), "block hash")
    full = bool(param(params, 1, "full transactions", False))
    try:
        block = fixture.tester.get_block_by_hash(block_hash, full_transactions=full)
    except BlockNotFound:
        return None
    return fixture.serialize_block(block, full)


def eth_getTransactionByHash(fixture, params):
    tx_hash = parse_hash(param(params, 0, "transaction hash", required=True), "transaction hash")
    tx = fixture.mined_transaction(tx_hash)
    if tx is None:
        return None
    return serialize_transaction(tx, pending=tx.get("block_number") is None)


def eth_getRawTransactionByHash(fixture, params):
    tx_hash = parse_hash(param(params, 0, "transaction hash", required=True), "transaction hash")
    try:
        _, transaction, _ = _get_transaction_by_hash(fixture.chain, bytes.fromhex(tx_hash[2:]))
    except TransactionNotFound:
        return None
    return data_hex(transaction.encode())


def eth_getTransactionReceipt(fixture, params):
    tx_hash = parse_hash(param(params, 0, "transaction hash", required=True), "transaction hash")
    tx = fixture.mined_transaction(tx_hash)
    if tx is None or tx.get("block_number") is None:
        return None
    block = fixture.tester_block(tx["block_number"], True)
    return public_receipt(fixture.block_receipts(block)[tx["transaction_index"]])


def topic_matches(wanted, topic):
    if wanted is None:
        return True
    if isinstance(wanted, list):
        return any(topic_matches(option, topic) for option in wanted)
    return topic is not None and wanted.lower() == topic


def eth_getLogs(fixture, params):
    query = param(params, 0, "filter", {})
    if not isinstance(query, dict):
        raise invalid_params("the filter must be an object")
    addresses = query.get("address")
    if addresses is None:
        addresses = []
    elif not isinstance(addresses, list):
        addresses = [addresses]
    addresses = {"0x" + parse_address(address, "address").hex() for address in addresses}
    topics = query.get("topics") or []
    if not isinstance(topics, list):
        raise invalid_params("topics must be an array")
    for position in topics:
        for topic in position if isinstance(position, list) else [position]:
            if topic is not None:
                parse_hash(topic, "topic")
    if "blockHash" in query:
        if "fromBlock" in query or "toBlock" in query:
            raise invalid_params("blockHash cannot be combined with fromBlock/toBlock")
        try:
            block = fixture.tester.get_block_by_hash(parse_hash(query["blockHash"], "blockHash"), full_transactions=True)
        except BlockNotFound:
            raise RPCError(-32000, "unknown block") from None
        blocks = [block]
    else:
        first = fixture.block_number_of(parse_block_tag(query.get("fromBlock", "latest"), "fromBlock"))
        last = min(fixture.block_number_of(parse_block_tag(query.get("toBlock", "latest"), "toBlock")), fixture.head_number())
        if last - first > 10_000:
            raise RPCError(-32005, "query returned more than 10000 blocks; ask for a smaller range")
        blocks = [fixture.tester_block(number, True) for number in range(first, last + 1)]
    logs = []
    for block in blocks:
        for receipt in fixture.block_receipts(block):
            for log in receipt["logs"]:
                if addresses and log["address"] not in addresses:
                    continue
                if len(topics) > len(log["topics"]):
                    continue
                if all(topic_matches(wanted, log["topics"][i]) for i, wanted in enumerate(topics)):
                    logs.append(log)
    return logs


def eth_getTransactionCount(fixture, params):
    address = parse_address(param(params, 0, "address", required=True), "address")
    tag = parse_block_tag(param(params, 1, "block", "latest"))
    return quantity(fixture.backend.get_nonce(address, tag))


def eth_getBalance(fixture, params):
    address = parse_address(param(params, 0, "address", required=True), "address")
    tag = parse_block_tag(param(params, 1, "block", "latest"))
    return quantity(fixture.backend.get_balance(address, tag))


def eth_getCode(fixture, params):
    address = parse_address(param(params, 0, "address", required=True), "address")
    tag = parse_block_tag(param(params, 1, "block", "latest"))
    return data_hex(fixture.backend.get_code(address, tag))


def call_transaction(fixture, query):
    if not isinstance(query, dict):
        raise invalid_params("the call must be an object")
    transaction = {"from": parse_address(query["from"], "from") if query.get("from") else ZERO_ADDRESS}
    if query.get("to"):
        transaction["to"] = parse_address(query["to"], "to")
    data = query.get("input", query.get("data"))
    if data is not None:
        transaction["data"] = parse_data(data, "input")
    transaction["value"] = parse_quantity(query.get("value", 0), "value")
    if "gas" in query:
        transaction["gas"] = parse_quantity(query["gas"], "gas")
    return transaction


def eth_call(fixture, params):
    from eth.vm.spoof import SpoofTransaction

    transaction = call_transaction(fixture, param(params, 0, "call", required=True))
    tag = parse_block_tag(param(params, 1, "block", "latest"))
    block = _get_block_by_number(fixture.chain, tag)
    vm = fixture.chain.get_vm(at_header=block.header)
    state = vm.state
    fee = state.base_fee
    transaction.setdefault("gas", block.header.gas_limit)
    transaction.update(max_fee_per_gas=fee, max_priority_fee_per_gas=0, nonce=state.get_nonce(transaction["from"]))
    unsigned = fixture.backend._get_normalized_and_unsigned_evm_transaction(transaction, tag)
    snapshot = state.snapshot()
    try:
        # Credit the caller for this call only: eth_call does not spend (see the module's notes).
        state.set_balance(transaction["from"], state.get_balance(transaction["from"]) + transaction["gas"] * fee + transaction["value"])
        computation = state.apply_transaction(SpoofTransaction(unsigned, from_=transaction["from"]))
    finally:
        state.revert(snapshot)
    if computation.is_error:
        output = computation.output or b""
        raise RPCError(3, "execution reverted" + revert_reason(output), data_hex(output))
    return data_hex(computation.output)


def revert_reason(output):
    """": reason" for a Solidity/Vyper `Error(string)` revert, else nothing."""
    if output[:4] != keccak(text="Error(string)")[:4]:
        return ""
    from eth_abi import decode

    try:
        return ": " + decode(["string"], output[4:])[0]
    except Exception:
        return ""


def eth_estimateGas(fixture, params):
    """geth's estimate: the least gas limit, up to the given gas (else the block's gas limit),
    with which the call succeeds, found by bisection. Without fee fields geth charges no fee, so
    the sender needs only the value: the fee of each trial is credited for that trial alone (as
    eth_call does; eth-tester's own estimate demands the block gas limit's fee)."""
    from eth.vm.spoof import SpoofTransaction

    query = param(params, 0, "call", required=True)
    transaction = call_transaction(fixture, query)
    tag = parse_block_tag(param(params, 1, "block", "latest"))
    block = _get_block_by_number(fixture.chain, tag)
    state = fixture.chain.get_vm(at_header=block.header).state
    fee = state.base_fee
    cap = min(transaction.pop("gas", block.header.gas_limit), block.header.gas_limit)
    if state.get_balance(transaction["from"]) < transaction["value"]:
        raise RPCError(-32000, "insufficient funds for transfer")

    def run(gas):
        trial = dict(transaction, gas=gas, max_fee_per_gas=fee, max_priority_fee_per_gas=0, nonce=state.get_nonce(transaction["from"]))
        unsigned = fixture.backend._get_normalized_and_unsigned_evm_transaction(trial, tag)
        snapshot = state.snapshot()
        try:
            state.set_balance(transaction["from"], state.get_balance(transaction["from"]) + gas * fee)
            return state.apply_transaction(SpoofTransaction(unsigned, from_=transaction["from"]))
        except Exception:  # out of gas before execution (intrinsic gas), or similar
            return None
        finally:
            state.revert(snapshot)

    best = run(cap)
    if best is None or best.is_error:
        output = (best.output if best is not None else b"") or b""
        if best is not None and best.is_error and output:
            raise RPCError(3, "execution reverted" + revert_reason(output), data_hex(output))
        raise RPCError(3, "execution reverted" if best is not None else f"gas required exceeds allowance ({cap})")
    low, high = 20999, cap
    while high - low > 1:
        middle = (low + high) // 2
        outcome = run(middle)
        if outcome is None or outcome.is_error:
            low = middle
        else:
            high = middle
    return quantity(high)


def eth_gasPrice(fixture, params):
    return quantity(fixture.chain.get_block().header.base_fee_per_gas + TIP)


def eth_maxPriorityFeePerGas(fixture, params):
    return quantity(TIP)


def eth_feeHistory(fixture, params):
    count = parse_quantity(param(params, 0, "block count", required=True), "block count")
    newest = parse_block_tag(param(params, 1, "newest block", required=True), "newest block")
    percentiles = param(params, 2, "reward percentiles", None)
    if percentiles is not None:
        if not isinstance(percentiles, list) or not all(isinstance(p, (int, float)) and 0 <= p <= 100 for p in percentiles):
            raise invalid_params("reward percentiles must be numbers from 0 to 100")
        if any(b < a for a, b in zip(percentiles, percentiles[1:])):
            raise invalid_params("reward percentiles must be increasing")
    newest_number = min(fixture.block_number_of(newest), fixture.head_number())
    count = max(0, min(count, 1024, newest_number + 1))
    oldest = newest_number - count + 1
    base_fees, ratios, rewards = [], [], []
    for number in range(oldest, newest_number + 1):
        block = fixture.tester_block(number, True)
        base_fee = block.get("base_fee_per_gas") or 0
        base_fees.append(quantity(base_fee))
        ratios.append(block["gas_used"] / block["gas_limit"])
        if percentiles is not None:
            rewards.append(block_rewards(fixture, block, base_fee, percentiles))
    # The base fee of the block after the newest one: the pending block's for the chain's head.
    following = fixture.chain.get_block() if newest_number + 1 > fixture.head_number() else \
        fixture.chain.get_canonical_block_by_number(newest_number + 1)
    base_fees.append(quantity(following.header.base_fee_per_gas))
    answer = {"oldestBlock": quantity(oldest), "baseFeePerGas": base_fees, "gasUsedRatio": ratios}
    if percentiles is not None:
        answer["reward"] = rewards
    if count == 0:
        answer = {"oldestBlock": quantity(0), "baseFeePerGas": [], "gasUsedRatio": []}
    return answer


def block_rewards(fixture, block, base_fee, percentiles):
    """geth's rewards: tips sorted ascending, each percentile the tip of the transaction whose
    cumulative gas reaches that share of the block's gas used; zero for an empty block."""
    if not block["transactions"]:
        return [quantity(0) for _ in percentiles]
    receipts = fixture.block_receipts(block)
    tips = sorted((receipt["_price"] - base_fee, int(receipt["gasUsed"], 16)) for receipt in receipts)
    total = sum(gas for _, gas in tips)
    rewards, index, cumulative = [], 0, tips[0][1]
    for percentile in percentiles:
        threshold = total * percentile / 100
        while cumulative < threshold and index < len(tips) - 1:
            index += 1
            cumulative += tips[index][1]
        rewards.append(quantity(tips[index][0]))
    return rewards


def eth_sendRawTransaction(fixture, params):
    raw = parse_data(param(params, 0, "raw transaction", required=True), "raw transaction")
    if not raw:
        raise invalid_params("the raw transaction is empty")
    return fixture.send_raw_transaction(raw)


def evm_mine(fixture, params):
    count = parse_quantity(param(params, 0, "blocks", 1), "blocks")
    if not 1 <= count <= 10_000:
        raise invalid_params("blocks must be from 1 to 10000")
    return fixture.mine(count)


def evm_snapshot(fixture, params):
    return quantity(fixture.tester.take_snapshot())


def evm_revert(fixture, params):
    snapshot = parse_quantity(param(params, 0, "snapshot id", required=True), "snapshot id")
    try:
        fixture.tester.revert_to_snapshot(snapshot)
    except Exception as error:
        if type(error).__name__ == "SnapshotNotFound":
            return False
        raise
    return True


def object_param(params, name):
    query = param(params, 0, name, required=True)
    if not isinstance(query, dict):
        raise invalid_params(f"{name} must be an object")
    return query


def fixture_send(fixture, params):
    query = object_param(params, "the transaction")
    sender = fixture.account(query.get("from"))
    to = parse_address(query["to"], "to") if "to" in query else None
    if to is None:
        raise invalid_params("to is required")
    value = parse_quantity(query.get("value", 0), "value")
    data = parse_data(query["data"], "data") if "data" in query else b""
    gas = parse_quantity(query["gas"], "gas") if "gas" in query else None
    return fixture.send_from_test_account(sender, to, value, data, gas)


def fixture_deployToken(fixture, params):
    from eth_abi import encode

    query = param(params, 0, "the token", {}) or {}
    if not isinstance(query, dict):
        raise invalid_params("the token must be an object")
    deployer = fixture.account(query.get("from"))
    arguments = encode(["string", "string", "uint8"],
                       [query.get("name", "Coffer Test Token"), query.get("symbol", "CTT"), int(query.get("decimals", 18))])
    tx_hash = fixture.send_from_test_account(deployer, None, 0, fixture.compiled_token() + arguments, 3_000_000)
    fixture.mine(1)
    receipt = fixture.tester.get_transaction_receipt(tx_hash)
    if receipt["status"] != 1 or not receipt["contract_address"]:
        raise RPCError(-32000, "the token deployment failed")
    address = to_canonical_address(receipt["contract_address"])
    fixture.token_deployer[address] = deployer
    return address_hex(address)


def fixture_tokenTransfer(fixture, params):
    from eth_abi import encode

    query = object_param(params, "the transfer")
    token = parse_address(query.get("token"), "token")
    to = parse_address(query.get("to"), "to")
    amount = parse_quantity(query.get("amount"), "amount")
    if amount >= 2**256:
        raise invalid_params("amount must fit uint256")
    if "from" in query:
        sender = fixture.account(query["from"])
        data = keccak(text="transfer(address,uint256)")[:4] + encode(["address", "uint256"], [to, amount])
    else:
        sender = fixture.token_deployer.get(token)
        if sender is None:
            raise invalid_params("token: not deployed by fixture_deployToken since the last revert before it")
        data = keccak(text="mint(address,uint256)")[:4] + encode(["address", "uint256"], [to, amount])
    return fixture.send_from_test_account(sender, token, 0, data, 200_000)


METHODS = {function.__name__: function for function in [
    eth_chainId, net_version, eth_blockNumber, eth_accounts, eth_getBlockByNumber, eth_getBlockByHash,
    eth_getTransactionByHash, eth_getRawTransactionByHash, eth_getTransactionReceipt, eth_getLogs,
    eth_getTransactionCount, eth_getBalance, eth_getCode, eth_call, eth_estimateGas, eth_gasPrice,
    eth_maxPriorityFeePerGas, eth_feeHistory, eth_sendRawTransaction,
    evm_mine, evm_snapshot, evm_revert, fixture_send, fixture_deployToken, fixture_tokenTransfer,
]}


# ---------------------------------------------------------------------------------------------
# JSON-RPC over HTTP


def answer_one(fixture, request):
    request_id = request.get("id") if isinstance(request, dict) else None
    try:
        if not isinstance(request, dict) or not isinstance(request.get("method"), str):
            raise RPCError(-32600, "invalid request: expected an object with a method name")
        result = fixture.call(request["method"], request.get("params", []))
        return {"jsonrpc": "2.0", "id": request_id, "result": result}
    except RPCError as error:
        return {"jsonrpc": "2.0", "id": request_id, "error": error.to_json()}
    except Exception as error:  # a bug here must not take the server down
        traceback.print_exc(file=sys.stderr)
        return {"jsonrpc": "2.0", "id": request_id, "error": {"code": -32603, "message": f"internal error: {error}"}}


def answer(fixture, body):
    try:
        request = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        return {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": f"parse error: {error}"}}
    if isinstance(request, list):
        if not request:
            return {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "invalid request: empty batch"}}
        return [answer_one(fixture, item) for item in request]
    return answer_one(fixture, request)


def make_handler(fixture):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit() or int(length) > 64 * 1024 * 1024:
                self.send_json(411, {"jsonrpc": "2.0", "id": None,
                                     "error": {"code": -32600, "message": "a Content-Length up to 64 MiB is required"}})
                return
            self.send_json(200, answer(fixture, self.rfile.read(int(length))))

        def do_GET(self):
            self.send_json(405, {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "POST JSON-RPC requests"}})

        def send_json(self, status, value):
            body = json.dumps(value).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            pass  # quiet: the tests read stdout for the port only

    return Handler


def exit_when_stdin_closes():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--chain-id", type=int, default=1337)
    parser.add_argument("--watch-stdin", action="store_true", help="exit when standard input closes")
    arguments = parser.parse_args()
    if arguments.watch_stdin:
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    fixture = Fixture(arguments.chain_id)
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), make_handler(fixture))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
