import CofferBase
import Foundation
import Ledger

/// One recorded observation as a replay file holds it: the pair, the price and volume as decimal
/// strings, and the source's own time (RFC 3339).
struct ReplayLine: Decodable {
    let pair: String
    let price: String
    let volume: String?
    let time: String
}

/// A replay source's file, read into observations: JSON Lines
/// (`{"pair":"BTC/USD","price":"64123.45","volume":"12.5","time":"2026-11-01T00:00:00Z"}` per line)
/// or CSV with the header `pair,price,volume,time`. Used for tests and backfills: every line is
/// checked and a bad one is an error naming the file's line, never skipped.
public enum ReplayFile {
    /// The longest replay file read (bytes).
    public static let maximumSize = 1 << 30

    public static func observations(path: String, source: String, weight: UInt32) throws -> [MarketObservation] {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw MarketInputError("replay file \(path.suffix(120)) cannot be read")
        }
        guard data.count <= maximumSize else { throw MarketInputError("replay file \(path.suffix(120)) is larger than 1 GiB") }
        return try observations(Array(data), source: source, weight: weight, name: url.lastPathComponent)
    }

    public static func observations(_ bytes: [UInt8], source: String, weight: UInt32, name: String = "replay") throws -> [MarketObservation] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { return [] }
        let csv = first.first != UInt8(ascii: "{")
        var columns: [String: Int] = [:]
        if csv {
            let header = String(decoding: first, as: UTF8.self).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            for (index, column) in header.enumerated() { columns[column] = index }
            for needed in ["pair", "price", "time"] where columns[needed] == nil {
                throw MarketInputError("\(name): a CSV replay needs the columns pair, price, volume (optional) and time; \(needed) is missing")
            }
        }
        var observations: [MarketObservation] = []
        observations.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() where !(csv && index == 0) && !line.isEmpty {
            let record: ReplayLine
            if csv {
                let fields = String(decoding: line, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                func field(_ column: String) -> String? { columns[column].flatMap { $0 < fields.count ? fields[$0] : nil } }
                guard let pair = field("pair"), let price = field("price"), let time = field("time") else {
                    throw MarketInputError("\(name) line \(index + 1): \(fields.count) fields, fewer than the header names")
                }
                record = ReplayLine(pair: pair, price: price, volume: field("volume").flatMap { $0.isEmpty ? nil : $0 }, time: time)
            } else {
                do { record = try JSONDecoding.decode(ReplayLine.self, from: line) } catch {
                    throw MarketInputError("\(name) line \(index + 1): \(error)")
                }
            }
            do {
                observations.append(try observation(record, source: source, weight: weight))
            } catch {
                throw MarketInputError("\(name) line \(index + 1): \(error)")
            }
        }
        return observations
    }

    /// One line as an observation (received when recorded: a replay has no other receipt time).
    static func observation(_ line: ReplayLine, source: String, weight: UInt32) throws -> MarketObservation {
        let pair = try MarketPairName(parsing: line.pair)
        let price = try MarketScale.units(Price(parsing: line.price, field: "price"), field: "price")
        guard price > 0 else { throw MarketInputError("price must be more than 0") }
        let volume = try line.volume.map { text in try MarketScale.units(Price(parsing: text, field: "volume"), field: "volume") }
        let time = try MarketTime.parse(line.time, field: "time")
        return MarketObservation(source: source, pair: pair.description, price: price, volume: volume, sourceTime: time, receivedAt: time, weight: weight)
    }
}

/// Prices and volumes inside aggregation are integers at 18 decimals (`PriceScale`); these
/// convert exactly to and from `Price`.
public enum MarketScale {
    /// `price` at 18 decimals, rounded half-even past the 18th (an error if it does not fit).
    public static func units(_ price: Price, field: String) throws -> UInt128 {
        do { return try price.rescaled(to: -PriceScale.decimals, rounding: .halfEven).mantissa } catch {
            throw MarketInputError("\(field): \(price) is too large")
        }
    }

    /// The decimal text of units at 18 decimals, trailing zeros removed ("64123.45").
    public static func text(_ units: UInt128) -> String {
        Price(mantissa: units, exponent: -PriceScale.decimals).normalized().description
    }

    public static func price(_ units: UInt128) -> Price { Price(mantissa: units, exponent: -PriceScale.decimals).normalized() }
}

/// Market times are whole seconds since 1970 (UTC).
public enum MarketTime {
    public static func parse(_ text: String, field: String) throws -> Int64 {
        do { return Int64(try LedgerTime.parseRFC3339(text) / 1_000_000_000) } catch {
            throw MarketInputError("\(field): \(error)")
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public static func format(_ seconds: Int64) -> String {
        let text = LedgerTime.formatRFC3339(UInt64(max(0, seconds)) * 1_000_000_000)
        guard let dot = text.firstIndex(of: ".") else { return text }
        return String(text[..<dot]) + "Z"
    }
}
