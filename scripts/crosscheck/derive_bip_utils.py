#!/usr/bin/env python3
"""Cross-check `coffer derive` and `coffer xpub` against bip-utils (an independent implementation).

Random mnemonics in every BIP39 language bip-utils has (all but Japanese, which the official vectors cover), with and without a passphrase, random accounts and
start indices, every chain and scheme. Prints one line per mismatch and a closing
"crosscheck: N passed, M failed"; exits 1 on any mismatch. Usage: derive_bip_utils.py COFFER_BINARY
"""
import json
import os
import random
import subprocess
import sys
import tempfile

from bip_utils import (Bip32Slip10Ed25519, Bip39Languages, Bip39MnemonicGenerator, Bip39SeedGenerator,
                       Bip39WordsNum, Bip44, Bip44Changes, Bip44Coins, Bip49, Bip49Coins, Bip84, Bip84Coins,
                       Bip86, Bip86Coins, Base58Encoder)

LANGUAGES = {
    "english": Bip39Languages.ENGLISH, "chinese-simplified": Bip39Languages.CHINESE_SIMPLIFIED,
    "chinese-traditional": Bip39Languages.CHINESE_TRADITIONAL,
    "korean": Bip39Languages.KOREAN, "spanish": Bip39Languages.SPANISH, "french": Bip39Languages.FRENCH,
    "italian": Bip39Languages.ITALIAN, "czech": Bip39Languages.CZECH, "portuguese": Bip39Languages.PORTUGUESE,
}
SCHEMES = {
    ("bitcoin", "p2pkh", "mainnet"): (Bip44, Bip44Coins.BITCOIN), ("bitcoin", "p2pkh", "testnet"): (Bip44, Bip44Coins.BITCOIN_TESTNET),
    ("bitcoin", "p2sh-p2wpkh", "mainnet"): (Bip49, Bip49Coins.BITCOIN), ("bitcoin", "p2sh-p2wpkh", "testnet"): (Bip49, Bip49Coins.BITCOIN_TESTNET),
    ("bitcoin", "p2wpkh", "mainnet"): (Bip84, Bip84Coins.BITCOIN), ("bitcoin", "p2wpkh", "testnet"): (Bip84, Bip84Coins.BITCOIN_TESTNET),
    ("bitcoin", "p2tr", "mainnet"): (Bip86, Bip86Coins.BITCOIN), ("bitcoin", "p2tr", "testnet"): (Bip86, Bip86Coins.BITCOIN_TESTNET),
    ("ethereum", None, None): (Bip44, Bip44Coins.ETHEREUM), ("tron", None, None): (Bip44, Bip44Coins.TRON),
}


def coffer(binary, args, stdin):
    result = subprocess.run([binary] + args, input=stdin.encode(), capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"coffer {' '.join(args)} failed: {result.stderr.decode().strip()}")
    return result.stdout.decode()


def main():
    binary = sys.argv[1]
    rng = random.Random(int(os.environ.get("CROSSCHECK_SEED", "20261122")))
    passed = failed = 0
    for round_index in range(int(os.environ.get("CROSSCHECK_ROUNDS", "8"))):
        language = rng.choice(list(LANGUAGES))
        words = rng.choice([Bip39WordsNum.WORDS_NUM_12, Bip39WordsNum.WORDS_NUM_24, Bip39WordsNum.WORDS_NUM_18])
        mnemonic = str(Bip39MnemonicGenerator(LANGUAGES[language]).FromWordsNumber(words))
        passphrase = rng.choice(["", "TREZOR", "pässwörd ﾊﾟ"])
        seed = Bip39SeedGenerator(mnemonic, LANGUAGES[language]).Generate(passphrase)
        with tempfile.NamedTemporaryFile("w", delete=False, encoding="utf-8") as handle:
            handle.write(passphrase + "\n")
            passphrase_file = handle.name
        try:
            for (chain, scheme, network), (bip, coin) in SCHEMES.items():
                account, start, count = rng.randrange(0, 3), rng.randrange(0, 1000), 3
                args = ["derive", "--chain", chain, "--account", str(account), "--start", str(start), "--count", str(count),
                        "--passphrase-file", passphrase_file]
                if scheme:
                    args += ["--scheme", scheme, "--network", network]
                records = [json.loads(line) for line in coffer(binary, args, mnemonic).splitlines()]
                account_ctx = bip.FromSeed(seed, coin).Purpose().Coin().Account(account)
                xpub_args = ["xpub", "--chain", chain, "--account", str(account), "--passphrase-file", passphrase_file]
                if scheme:
                    xpub_args += ["--scheme", scheme, "--network", network]
                expected_xpub = account_ctx.PublicKey().ToExtended()
                actual_xpub = coffer(binary, xpub_args, mnemonic).strip()
                # bip-utils writes SLIP-132 versions for BIP49/84 like coffer; compare the key material.
                if actual_xpub[4:] != expected_xpub[4:] and actual_xpub != expected_xpub:
                    failed += 1
                    print(f"MISMATCH xpub {chain} {scheme} {network} {language}: {actual_xpub} != {expected_xpub}")
                else:
                    passed += 1
                for offset, record in enumerate(records):
                    node = account_ctx.Change(Bip44Changes.CHAIN_EXT).AddressIndex(start + offset)
                    expected = node.PublicKey().ToAddress()
                    if record["address"] != expected or record["public_key"] != node.PublicKey().RawCompressed().ToHex():
                        failed += 1
                        print(f"MISMATCH {chain} {scheme} {network} {language} index {start + offset}: {record['address']} != {expected}")
                    else:
                        passed += 1
            records = [json.loads(line) for line in coffer(binary, ["derive", "--chain", "solana", "--count", "3", "--passphrase-file", passphrase_file], mnemonic).splitlines()]
            master = Bip32Slip10Ed25519.FromSeed(seed)
            for index, record in enumerate(records):
                public_key = master.DerivePath(f"m/44'/501'/{index}'/0'").PublicKey().RawCompressed().ToBytes()[1:]
                if record["address"] != Base58Encoder.Encode(public_key) or record["public_key"] != public_key.hex():
                    failed += 1
                    print(f"MISMATCH solana {language} index {index}")
                else:
                    passed += 1
        finally:
            os.unlink(passphrase_file)
    print(f"crosscheck: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
