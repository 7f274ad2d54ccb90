#!/usr/bin/env python3
"""Generate random money-formatting cases with Babel's output as the expectation.

    python scripts/crosscheck/format_babel.py N [SEED] > cases.jsonl     (SEED: CROSSCHECK_SEED, default 20261203)
    COFFER_FORMAT_CROSSCHECK=cases.jsonl swift test --filter FormattingCrossCheckTests

Each line: {"locale","currency","amount","compact","cryptoDigits"?,"expected"}.
The Babel call for each kind of case is exactly the definition documented on MoneyFormatter.
"""
import json
import os
import random
import sys
from decimal import Decimal

import babel
from babel import Locale
from babel.numbers import format_currency, format_compact_currency, list_currencies

LOCALES = ["en-US", "zh-CN", "zh-TW", "ja-JP", "ko-KR", "de-DE", "fr-FR",
           "es-ES", "pt-BR", "ru-RU", "ar-SA", "hi-IN"]
FIAT = ["USD", "EUR", "JPY", "KWD", "CNY", "TWD", "KRW", "INR", "BRL", "RUB", "SAR", "GBP", "CHF"]
CRYPTO = ["BTC", "ETH", "USDT"]
COMPACT_FRACTION_DIGITS = 1
ISO = set(list_currencies())


def random_amount(rng):
    kind = rng.random()
    if kind < 0.05:
        int_part = "0"
    elif kind < 0.15:
        # values sitting on / next to compact boundaries (999.95, 9999.96, 999999.95 ...)
        e = rng.randint(3, 12)
        int_part = rng.choice([str(10 ** e - 1), str(10 ** e), str(10 ** e + 1)])
    else:
        e = rng.randint(0, 12)
        int_part = str(rng.randint(0, 10 ** e)) if e else str(rng.randint(0, 9))
    decimals = rng.randint(0, 6)
    if decimals:
        frac = "".join(rng.choice("0123456789") for _ in range(decimals))
        if rng.random() < 0.2:
            frac = frac[:-1] + "5"  # exercise half-even ties
        amount = f"{int_part}.{frac}"
    else:
        amount = int_part
    if rng.random() < 0.25:
        amount = "-" + amount
    return amount


def crypto_pattern(locale, digits):
    pattern = locale.currency_formats["standard"].pattern
    return pattern.replace(".00", "." + "0" * digits if digits else "")


def expected(case):
    loc = Locale.parse(case["locale"].replace("-", "_"))
    amount, cur = Decimal(case["amount"]), case["currency"]
    if case["compact"]:
        return format_compact_currency(amount, cur, locale=loc, fraction_digits=COMPACT_FRACTION_DIGITS)
    if cur in ISO:
        return format_currency(amount, cur, locale=loc)
    if case.get("cryptoDigits") is not None:
        return format_currency(amount, cur, format=crypto_pattern(loc, case["cryptoDigits"]), locale=loc, currency_digits=False)
    return format_currency(amount, cur, locale=loc, currency_digits=False, decimal_quantization=False)


def main():
    n = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("CROSSCHECK_SEED", "20261203"))
    rng = random.Random(seed)
    out = sys.stdout
    for _ in range(n):
        case = {
            "locale": rng.choice(LOCALES),
            "currency": rng.choice(FIAT + CRYPTO if rng.random() < 0.75 else CRYPTO),
            "amount": random_amount(rng),
            "compact": rng.random() < 0.35,
        }
        if not case["compact"] and case["currency"] not in ISO and rng.random() < 0.4:
            case["cryptoDigits"] = rng.randint(0, 8)
        case["expected"] = expected(case)
        out.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"crosscheck: {n} cases, seed {seed}, babel {babel.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
