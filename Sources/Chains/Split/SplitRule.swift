public import CofferBase

/// One recipient of a split: a ledger account and its share of each payment, either a fixed
/// amount (smallest units, taken first) or basis points of what the fixed amounts leave.
public struct SplitRecipient: Sendable, Equatable {
    public enum Share: Sendable, Equatable {
        /// 1-10000 hundredths of a percent of what is left after the fixed amounts.
        case basisPoints(UInt16)
        /// This many smallest units (more than 0), before any basis points.
        case fixed(UInt128)
    }

    /// The stored ledger account id.
    public let account: String
    public let share: Share

    public init(account: String, share: Share) {
        self.account = account
        self.share = share
    }
}

/// How a payment credited to an account is divided among recipients.
///
/// The design: fixed amounts are paid first, in rule order; what is left is divided among the
/// basis-point recipients, whose basis points sum to exactly 10,000, so every unit of the payment
/// has a recipient and nothing is left over to place. The credited account itself may be a
/// recipient: its part stays where it was credited. A payment smaller than the fixed amounts
/// together is not split at all (see `Split.divide`).
public struct SplitRule: Sendable, Equatable {
    public let recipients: [SplitRecipient]
    /// The sum of the fixed amounts (checked not to overflow).
    public let fixedTotal: UInt128

    /// Basis points in the whole.
    public static let whole: UInt16 = 10_000
    /// The most recipients of one rule.
    public static let maximumRecipients = 50

    /// Validates: 1-50 recipients, each account once; basis points 1-10000 and fixed amounts
    /// above 0; at least one basis-point recipient, and their basis points sum to exactly 10000;
    /// the fixed amounts sum to at most 2^128-1.
    public init(_ recipients: [SplitRecipient]) throws(ChainError) {
        guard (1...Self.maximumRecipients).contains(recipients.count) else {
            throw ChainError.invalid("a split rule has 1 to \(Self.maximumRecipients) recipients")
        }
        var seen: Set<String> = []
        var basisPoints = 0
        var fixed: UInt128 = 0
        for recipient in recipients {
            guard !recipient.account.isEmpty, seen.insert(recipient.account).inserted else {
                throw ChainError.invalid("recipient \(recipient.account.prefix(70)) is listed twice; each account receives one share")
            }
            switch recipient.share {
            case .basisPoints(let points):
                guard (1...Self.whole).contains(points) else {
                    throw ChainError.invalid("recipient \(recipient.account.prefix(70)): basis points must be from 1 to \(Self.whole)")
                }
                basisPoints += Int(points)
            case .fixed(let amount):
                guard amount > 0 else { throw ChainError.invalid("recipient \(recipient.account.prefix(70)): a fixed amount must be more than 0") }
                let (sum, overflow) = fixed.addingReportingOverflow(amount)
                guard !overflow else { throw ChainError.invalid("the fixed amounts add up to more than 2^128-1") }
                fixed = sum
            }
        }
        guard basisPoints == Int(Self.whole) else {
            throw ChainError.invalid("the basis points must add up to exactly \(Self.whole) (they add up to \(basisPoints)): "
                + "they divide what the fixed amounts leave, and every unit needs a recipient")
        }
        self.recipients = recipients
        fixedTotal = fixed
    }

    /// The rule as stored: `[{"account":"…","bps":2500}, {"account":"…","amount":"100"}]`.
    public var json: JSONValue {
        .array(recipients.map { recipient in
            switch recipient.share {
            case .basisPoints(let points): .object([("account", .string(recipient.account)), ("bps", .integer(points))])
            case .fixed(let amount): .object([("account", .string(recipient.account)), ("amount", .string(String(amount)))])
            }
        })
    }

    /// Reads `json`'s form back (validated again).
    public init(json: JSONValue) throws(ChainError) {
        guard case .array(let items) = json else { throw ChainError.invalid("a split rule is an array of recipients") }
        var recipients: [SplitRecipient] = []
        for item in items {
            guard case .string(let account)? = item["account"] else { throw ChainError.invalid("a split recipient needs an account") }
            if case .number(let text)? = item["bps"], let points = UInt16(text) {
                recipients.append(SplitRecipient(account: account, share: .basisPoints(points)))
            } else if case .string(let text)? = item["amount"], let amount = UInt128(text) {
                recipients.append(SplitRecipient(account: account, share: .fixed(amount)))
            } else {
                throw ChainError.invalid("split recipient \(account.prefix(70)) needs bps or amount")
            }
        }
        try self.init(recipients)
    }
}

/// One recipient's part of a payment.
public struct SplitPart: Sendable, Equatable {
    /// The recipient's position in its rule (from 0).
    public let position: Int
    public let account: String
    public let amount: UInt128

    public init(position: Int, account: String, amount: UInt128) {
        self.position = position
        self.account = account
        self.amount = amount
    }
}

/// A payment smaller than the fixed amounts of its rule: it is not split.
public struct SplitNotApplicable: Error, Sendable, Equatable, CustomStringConvertible {
    public let amount: UInt128
    public let fixedTotal: UInt128

    public init(amount: UInt128, fixedTotal: UInt128) {
        self.amount = amount
        self.fixedTotal = fixedTotal
    }

    public var description: String { "the fixed amounts (\(fixedTotal)) exceed the payment (\(amount)); it is credited whole" }
}

/// Dividing a payment by a rule.
public enum Split {
    /// One part per recipient, in rule order, summing exactly to `amount`:
    ///
    /// 1. each fixed recipient gets its amount;
    /// 2. what is left, `rest`, is divided by largest remainder (Hamilton): recipient i's exact
    ///    share is rest × bps_i / 10000; each gets the whole units of it, and the units left over
    ///    (fewer than the number of basis-point recipients) go one each to the recipients with
    ///    the largest fractional parts, ties to the one listed first.
    ///
    /// Each basis-point part is therefore within one unit of its exact share (below it by less
    /// than one, or above it by less than one), and a recipient with more basis points never
    /// gets less than one with fewer. `rest × bps` is computed in 256 bits, so no amount overflows.
    /// Like every largest-remainder method it is not monotone in the amount (the Alabama
    /// paradox): one more unit paid can move a rounding unit from one recipient to another.
    ///
    /// Throws when the fixed amounts together exceed `amount`.
    public static func divide(_ amount: UInt128, _ rule: SplitRule) throws(SplitNotApplicable) -> [SplitPart] {
        guard rule.fixedTotal <= amount else { throw SplitNotApplicable(amount: amount, fixedTotal: rule.fixedTotal) }
        let rest = amount - rule.fixedTotal
        var amounts = [UInt128](repeating: 0, count: rule.recipients.count)
        // (fractional part in 1/10000ths, position) of each basis-point recipient.
        var fractions: [(remainder: UInt128, position: Int)] = []
        var placed: UInt128 = 0
        for (position, recipient) in rule.recipients.enumerated() {
            switch recipient.share {
            case .fixed(let fixed):
                amounts[position] = fixed
            case .basisPoints(let points):
                let product = rest.multipliedFullWidth(by: UInt128(points))
                // The quotient is at most `rest` (points <= 10000), so it fits.
                let (units, remainder) = UInt128(SplitRule.whole).dividingFullWidth(product)
                amounts[position] = units
                placed += units
                fractions.append((remainder, position))
            }
        }
        // rest − placed is the sum of the fractional parts: fewer units than recipients.
        let leftover = Int(rest - placed)
        let largest = fractions.sorted { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.position < $1.position }
        for fraction in largest.prefix(leftover) { amounts[fraction.position] += 1 }
        return rule.recipients.enumerated().map { SplitPart(position: $0.offset, account: $0.element.account, amount: amounts[$0.offset]) }
    }
}
