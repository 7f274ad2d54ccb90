#!/usr/bin/env python3
"""Generate Sources/Market/Formatting/cldr-money.json from Babel's CLDR data.

Run with the venv that has babel==2.19.0 installed:
    .venv/bin/python scripts/cldr/generate.py

Only *data* is taken from Babel/CLDR. Number patterns are pre-parsed with
Babel's own `parse_pattern` so the Swift side sees exactly the prefixes,
suffixes, grouping and precision that Babel uses at format time.
"""
import json
import os
import re
import sys

import babel
from babel import Locale
from babel.core import get_global
from babel.numbers import list_currencies, get_currency_precision, parse_pattern

LOCALES = ["en-US", "zh-CN", "zh-TW", "ja-JP", "ko-KR", "de-DE", "fr-FR",
           "es-ES", "pt-BR", "ru-RU", "ar-SA", "hi-IN"]
NUMBERING = "latn"  # Babel's default numbering_system for format_* functions

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Sources", "Market", "Formatting", "cldr-money.json")


def parsed(pattern):
    p = parse_pattern(pattern)
    return {
        "pattern": p.pattern,
        "posPrefix": p.prefix[0], "negPrefix": p.prefix[1],
        "posSuffix": p.suffix[0], "negSuffix": p.suffix[1],
        "primaryGrouping": p.grouping[0], "secondaryGrouping": p.grouping[1],
        "minInt": p.int_prec[0],
        "minFrac": p.frac_prec[0], "maxFrac": p.frac_prec[1],
    }


def compact_fallback(compact_format):
    """Mirror of the fallback in babel.numbers.format_compact_currency.

    It is independent of the number, so it is computed once per locale here.
    """
    fmt = None
    for magnitude in compact_format["other"]:
        fmt = compact_format["other"][magnitude].pattern
        if "¤" not in fmt:
            continue
        fmt = re.sub(r"[^0\s\¤]", "", fmt)
        fmt = re.sub(r"(\s)\s+", r"\1", fmt).strip()
        break
    return fmt


def locale_data(tag):
    loc = Locale.parse(tag.replace("-", "_"))
    sym = loc.number_symbols[NUMBERING]
    compact = loc.compact_currency_formats["short"]
    magnitudes = sorted((int(m) for m in compact["other"]), reverse=True)
    entries = []
    for m in magnitudes:
        other = compact["other"][str(m)].pattern
        forms = {}
        for form, table in compact.items():
            if form == "other" or str(m) not in table:
                continue
            if table[str(m)].pattern == other:
                continue  # identical to "other": Babel's choice is irrelevant
            forms[form] = parsed(table[str(m)].pattern)
        entry = {
            "magnitude": str(m),
            "other": parsed(other),
            "isPlain": other == "0",  # Babel: pattern "0" means "do not divide"
            # divisor = magnitude // 10**(count('0') - 1), stored as a power of ten
            "divisorExponent": len(str(m)) - 1 - (other.count("0") - 1),
            "forms": forms,
        }
        if "1" in compact and str(m) in compact["1"]:
            entry["explicitOne"] = parsed(compact["1"][str(m)].pattern)
        entries.append(entry)
    fb = compact_fallback(compact)
    plural_rules = getattr(loc.plural_form, "rules", {})
    return {
        "locale": tag,
        "babelIdentifier": str(loc),
        "language": loc.language,
        "decimalSymbol": sym["decimal"],
        "groupSymbol": sym["group"],
        "minusSign": sym["minusSign"],
        "plusSign": sym["plusSign"],
        "currencyStandard": parsed(loc.currency_formats["standard"].pattern),
        "currencyAccounting": parsed(loc.currency_formats["accounting"].pattern),
        "decimal": parsed(loc.decimal_formats[None].pattern),
        "currencySymbols": dict(sorted(loc.currency_symbols.items())),
        "compactCurrency": entries,
        "compactFallback": parsed(fb) if fb is not None else None,
        "pluralRules": dict(sorted(plural_rules.items())),
    }


def main():
    currencies = sorted(list_currencies())
    fractions = get_global("currency_fractions")
    digits = {c: get_currency_precision(c) for c in currencies}
    data = {
        "generator": "scripts/cldr/generate.py",
        "babelVersion": babel.__version__,
        "cldrVersion": getattr(babel.core, "get_cldr_version", lambda: None)(),
        "defaultCurrencyDigits": fractions["DEFAULT"][0],
        "currencyDigits": digits,
        "locales": [locale_data(t) for t in LOCALES],
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)} ({len(currencies)} currencies, {len(LOCALES)} locales, babel {babel.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
