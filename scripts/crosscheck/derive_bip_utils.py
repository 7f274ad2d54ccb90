#!/usr/bin/env python3
"""Cross-check `coffer derive` and `coffer xpub` against bip-utils (an independent implementation).

Random mnemonics in every BIP39 language bip-utils has (all but Japanese, which the official vectors
cover), with and without a passphrase, random accounts and start indices, every chain and scheme, on
every network of the chain registry: Bitcoin and Litecoin mainnet and testnet through bip-utils' own
coin configurations (BIP44/49/84/86), the networks it has no coin for (Bitcoin regtest and signet,
Litecoin regtest, Litecoin p2tr) through its BIP32 derivation and its address encoders with the
registry's version bytes and HRPs, and EVM networks as Ethereum. Account keys are compared by key
material (depth, parent fingerprint, index, chain code, key) and by the SLIP-132 version the
registry assigns. Prints one line per mismatch and a closing "crosscheck: N passed, M failed";
exits 1 on any mismatch. Usage: derive_bip_utils.py COFFER_BINARY
"""
import json
import os
import random
import subprocess
import sys
import tempfile

from bip_utils import (Base58Decoder, Base58Encoder, Bip32Slip10Ed25519, Bip32Slip10Secp256k1, Bip39Languages,
                       Bip39MnemonicGenerator, Bip39SeedGenerator, Bip39WordsNum, Bip44, Bip44Changes, Bip44Coins, Bip49,
                       Bip49Coins, Bip84, Bip84Coins, Bip86, Bip86Coins, P2PKHAddrEncoder, P2SHAddrEncoder, P2TRAddrEncoder,
                       P2WPKHAddrEncoder)

LANGUAGES = {
    "english": Bip39Languages.ENGLISH, "chinese-simplified": Bip39Languages.CHINESE_SIMPLIFIED,
    "chinese-traditional": Bip39Languages.CHINESE_TRADITIONAL,
    "korean": Bip39Languages.KOREAN, "spanish": Bip39Languages.SPANISH, "french": Bip39Languages.FRENCH,
    "italian": Bip39Languages.ITALIAN, "czech": Bip39Languages.CZECH, "portuguese": Bip39Languages.PORTUGUESE,
}
# Networks bip-utils has coins for: (chain, scheme, network) -> (BIP class, coin).
SCHEMES = {
    ("bitcoin", "p2pkh", "mainnet"): (Bip44, Bip44Coins.BITCOIN), ("bitcoin", "p2pkh", "testnet"): (Bip44, Bip44Coins.BITCOIN_TESTNET),
    ("bitcoin", "p2sh-p2wpkh", "mainnet"): (Bip49, Bip49Coins.BITCOIN), ("bitcoin", "p2sh-p2wpkh", "testnet"): (Bip49, Bip49Coins.BITCOIN_TESTNET),
    ("bitcoin", "p2wpkh", "mainnet"): (Bip84, Bip84Coins.BITCOIN), ("bitcoin", "p2wpkh", "testnet"): (Bip84, Bip84Coins.BITCOIN_TESTNET),
    ("bitcoin", "p2tr", "mainnet"): (Bip86, Bip86Coins.BITCOIN), ("bitcoin", "p2tr", "testnet"): (Bip86, Bip86Coins.BITCOIN_TESTNET),
    ("bitcoin", "p2pkh", "litecoin-mainnet"): (Bip44, Bip44Coins.LITECOIN),
    ("bitcoin", "p2pkh", "litecoin-testnet"): (Bip44, Bip44Coins.LITECOIN_TESTNET),
    ("bitcoin", "p2sh-p2wpkh", "litecoin-mainnet"): (Bip49, Bip49Coins.LITECOIN),
    ("bitcoin", "p2sh-p2wpkh", "litecoin-testnet"): (Bip49, Bip49Coins.LITECOIN_TESTNET),
    ("bitcoin", "p2wpkh", "litecoin-mainnet"): (Bip84, Bip84Coins.LITECOIN),
    ("bitcoin", "p2wpkh", "litecoin-testnet"): (Bip84, Bip84Coins.LITECOIN_TESTNET),
    ("ethereum", None, None): (Bip44, Bip44Coins.ETHEREUM), ("ethereum", None, "polygon"): (Bip44, Bip44Coins.ETHEREUM),
    ("ethereum", None, "evm:10143"): (Bip44, Bip44Coins.ETHEREUM), ("tron", None, None): (Bip44, Bip44Coins.TRON),
}
# Networks bip-utils has no coin for (or no BIP86 for): the registry's parameters, bip-utils' encoders.
ENCODED = {
    "regtest": dict(coin=1, p2pkh=0x6F, p2sh=0xC4, hrp="bcrt", test=True),
    "signet": dict(coin=1, p2pkh=0x6F, p2sh=0xC4, hrp="tb", test=True),
    "litecoin-regtest": dict(coin=1, p2pkh=0x6F, p2sh=0x3A, hrp="rltc", test=True),
    "litecoin-mainnet": dict(coin=2, p2pkh=0x30, p2sh=0x32, hrp="ltc", test=False, litecoin=True),
    "litecoin-testnet": dict(coin=1, p2pkh=0x6F, p2sh=0x3A, hrp="tltc", test=True),
}
ENCODED_SCHEMES = [(network, scheme) for network in ["regtest", "signet", "litecoin-regtest"]
                   for scheme in ["p2pkh", "p2sh-p2wpkh", "p2wpkh", "p2tr"]] + [("litecoin-mainnet", "p2tr"), ("litecoin-testnet", "p2tr")]
PURPOSE = {"p2pkh": 44, "p2sh-p2wpkh": 49, "p2wpkh": 84, "p2tr": 86}
# The SLIP-132 public versions the registry exports account keys with.
VERSIONS = {
    "main": {"p2pkh": 0x0488B21E, "p2sh-p2wpkh": 0x049D7CB2, "p2wpkh": 0x04B24746, "p2tr": 0x0488B21E},
    "test": {"p2pkh": 0x043587CF, "p2sh-p2wpkh": 0x044A5262, "p2wpkh": 0x045F1CF6, "p2tr": 0x043587CF},
    "litecoin-mainnet": {"p2pkh": 0x019DA462, "p2sh-p2wpkh": 0x01B26EF6, "p2wpkh": 0x04B24746, "p2tr": 0x019DA462},
}


def expected_version(network, scheme):
    if network == "litecoin-mainnet":
        return VERSIONS["litecoin-mainnet"][scheme]
    test = network in ("testnet", "regtest", "signet", "litecoin-testnet", "litecoin-regtest")
    return VERSIONS["test" if test else "main"][scheme or "p2pkh"]


def coffer(binary, args, stdin):
    result = subprocess.run([binary] + args, input=stdin.encode(), capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"coffer {' '.join(args)} failed: {result.stderr.decode().strip()}")
    return result.stdout.decode()


def encoded_address(node, scheme, params):
    key = node.PublicKey().KeyObject()
    if scheme == "p2pkh":
        return P2PKHAddrEncoder.EncodeKey(key, net_ver=bytes([params["p2pkh"]]))
    if scheme == "p2sh-p2wpkh":
        return P2SHAddrEncoder.EncodeKey(key, net_ver=bytes([params["p2sh"]]))
    if scheme == "p2wpkh":
        return P2WPKHAddrEncoder.EncodeKey(key, hrp=params["hrp"])
    return P2TRAddrEncoder.EncodeKey(key, hrp=params["hrp"])


class Check:
    def __init__(self):
        self.passed = self.failed = 0

    def expect(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"MISMATCH {message}")

    def xpub(self, actual, expected_material, version, label):
        payload = Base58Decoder.CheckDecode(actual)
        self.expect(payload[4:] == expected_material and int.from_bytes(payload[:4], "big") == version,
                    f"xpub {label}: {actual} (key material or version 0x{version:08x} differs)")


def main():
    binary = sys.argv[1]
    rng = random.Random(int(os.environ.get("CROSSCHECK_SEED", "20261122")))
    check = Check()
    for round_index in range(int(os.environ.get("CROSSCHECK_ROUNDS", "8"))):
        language = rng.choice(list(LANGUAGES))
        words = rng.choice([Bip39WordsNum.WORDS_NUM_12, Bip39WordsNum.WORDS_NUM_24, Bip39WordsNum.WORDS_NUM_18])
        mnemonic = str(Bip39MnemonicGenerator(LANGUAGES[language]).FromWordsNumber(words))
        passphrase = rng.choice(["", "TREZOR", "pässwörd ﾊﾟ"])
        seed = Bip39SeedGenerator(mnemonic, LANGUAGES[language]).Generate(passphrase)
        master = Bip32Slip10Secp256k1.FromSeed(seed)
        with tempfile.NamedTemporaryFile("w", delete=False, encoding="utf-8") as handle:
            handle.write(passphrase + "\n")
            passphrase_file = handle.name
        try:
            def run(chain, scheme, network, account, start, count):
                args = ["--account", str(account), "--passphrase-file", passphrase_file]
                if chain:
                    args += ["--chain", chain]
                if scheme:
                    args += ["--scheme", scheme]
                if network:
                    args += ["--network", network]
                records = [json.loads(line) for line in coffer(binary, ["derive", "--start", str(start), "--count", str(count)] + args, mnemonic).splitlines()]
                return records, coffer(binary, ["xpub"] + args, mnemonic).strip()

            for (chain, scheme, network), (bip, coin) in SCHEMES.items():
                account, start, count = rng.randrange(0, 3), rng.randrange(0, 1000), 3
                records, actual_xpub = run(chain, scheme, network, account, start, count)
                account_ctx = bip.FromSeed(seed, coin).Purpose().Coin().Account(account)
                label = f"{chain} {scheme} {network} {language}"
                material = Base58Decoder.CheckDecode(account_ctx.PublicKey().ToExtended())[4:]
                check.xpub(actual_xpub, material, expected_version(network, scheme), label)
                for offset, record in enumerate(records):
                    node = account_ctx.Change(Bip44Changes.CHAIN_EXT).AddressIndex(start + offset)
                    expected = node.PublicKey().ToAddress()
                    check.expect(record["address"] == expected and record["public_key"] == node.PublicKey().RawCompressed().ToHex(),
                                 f"{label} index {start + offset}: {record['address']} != {expected}")

            for network, scheme in ENCODED_SCHEMES:
                params = ENCODED[network]
                account, start, count = rng.randrange(0, 3), rng.randrange(0, 1000), 3
                # The chain is implied by the network (the registry name for Bitcoin's, its own for Litecoin's).
                records, actual_xpub = run(None, scheme, network if network.startswith("litecoin") else "bitcoin-" + network, account, start, count)
                account_node = master.DerivePath(f"m/{PURPOSE[scheme]}'/{params['coin']}'/{account}'")
                label = f"bitcoin {scheme} {network} {language}"
                check.xpub(actual_xpub, Base58Decoder.CheckDecode(account_node.PublicKey().ToExtended())[4:], expected_version(network, scheme), label)
                for offset, record in enumerate(records):
                    node = account_node.DerivePath(f"0/{start + offset}")
                    expected = encoded_address(node, scheme, params)
                    check.expect(record["address"] == expected and record["public_key"] == node.PublicKey().RawCompressed().ToHex(),
                                 f"{label} index {start + offset}: {record['address']} != {expected}")

            records = [json.loads(line) for line in coffer(binary, ["derive", "--chain", "solana", "--count", "3", "--passphrase-file", passphrase_file], mnemonic).splitlines()]
            ed25519 = Bip32Slip10Ed25519.FromSeed(seed)
            for index, record in enumerate(records):
                public_key = ed25519.DerivePath(f"m/44'/501'/{index}'/0'").PublicKey().RawCompressed().ToBytes()[1:]
                check.expect(record["address"] == Base58Encoder.Encode(public_key) and record["public_key"] == public_key.hex(),
                             f"solana {language} index {index}")
        finally:
            os.unlink(passphrase_file)
    print(f"crosscheck: {check.passed} passed, {check.failed} failed")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
