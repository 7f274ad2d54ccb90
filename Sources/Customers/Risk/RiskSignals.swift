/// What is known about one request (a payout, a withdrawal) when its risk is scored. Every
/// signal but the amount may be unknown (nil), and an unknown signal adds nothing: the score is
/// of what was observed, never of what was guessed.
public struct RiskSignals: Sendable, Equatable {
    /// The device the request came from, as the application identifies it. Not scored itself:
    /// the application compares it with the customer's devices to set `newDevice`.
    public var deviceID: String?
    /// The client's address. Not scored itself: the application compares `IPNetwork.of` it with
    /// the customer's networks to set `newNetwork`.
    public var ipAddress: String?
    /// The customer has not used this device before.
    public var newDevice: Bool?
    /// The customer has not been seen from this IP network (`IPNetwork.of`) before.
    public var newNetwork: Bool?
    /// The customer has not paid this destination before.
    public var newDestination: Bool?
    /// Seconds since the customer's password last changed (a takeover often starts there).
    public var secondsSincePasswordChange: Int64?
    /// Failed step-up verifications in the last 24 hours.
    public var failedStepUps: Int?
    /// The request's amount, in the asset's smallest unit.
    public var amount: UInt128
    /// The median amount of the customer's past movements in this asset; nil when there are none.
    public var historyMedian: UInt128?

    public init(deviceID: String? = nil, ipAddress: String? = nil, newDevice: Bool? = nil, newNetwork: Bool? = nil,
                newDestination: Bool? = nil, secondsSincePasswordChange: Int64? = nil, failedStepUps: Int? = nil,
                amount: UInt128 = 0, historyMedian: UInt128? = nil) {
        self.deviceID = deviceID
        self.ipAddress = ipAddress
        self.newDevice = newDevice
        self.newNetwork = newNetwork
        self.newDestination = newDestination
        self.secondsSincePasswordChange = secondsSincePasswordChange
        self.failedStepUps = failedStepUps
        self.amount = amount
        self.historyMedian = historyMedian
    }
}
