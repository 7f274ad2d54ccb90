import CofferBase
import WalletCore

/// Decodes and signs one payload type for one chain. Registered with the signing service, which
/// decodes every payload (what it pays, the most fee it can cost) and lets the policy decide
/// before it ever calls ``sign(_:secret:)``.
public protocol PayloadSigner: Sendable {
    associatedtype Payload: ChainSigningPayload

    /// The wallet public keys ``decode(_:walletKeys:)`` needs to recognise the wallet's own
    /// outputs (the origins of a PSBT's output derivation records), or nil when decoding needs
    /// none. The service asks the vault for them inside `UnlockedVault.withSecret`.
    func walletKeyOrigins(for payload: Payload) -> [PSBTKeyOrigin]?

    /// What the payload would do once signed: every payment that is not the wallet's own change
    /// and the most fee it can pay. `walletKeys` is nil when the vault is locked (or decoding
    /// needs no keys); outputs that only keys could prove to be change then count as payments.
    /// Throws for payloads that cannot be checked at all (unsupported calls, missing UTXOs).
    func decode(_ payload: Payload, walletKeys: WalletPublicKeys?) throws(PolicyError) -> DecodedPayload

    /// Signs with the wallet's secret, after the policy allowed it.
    func sign(_ payload: Payload, secret: WalletSecret) throws -> SigningResult
}

extension PayloadSigner {
    /// The payload's `"type"`, e.g. `"ethereum-tx"`.
    public var payloadType: String { Payload.type }
    /// The intent chain, e.g. `"ethereum"`.
    public var chain: String { Payload.chain }

    public func walletKeyOrigins(for payload: Payload) -> [PSBTKeyOrigin]? { nil }
}

/// One payment a payload makes: to whom, in which asset, how much.
public struct DecodedTransfer: Sendable, Equatable {
    public var destination: String
    /// nil for the native asset.
    public var tokenContract: String?
    public var amount: UInt128

    public init(destination: String, tokenContract: String?, amount: UInt128) {
        self.destination = destination
        self.tokenContract = tokenContract
        self.amount = amount
    }
}

/// The most fee a transaction can pay, in the smallest unit of its chain's native coin.
public enum MaximumFee: Sendable, Equatable, CustomStringConvertible {
    case atMost(UInt128)
    /// Beyond 2^128 - 1 (an Ethereum gas × price that overflows): more than any intent allows.
    case beyondUInt128

    /// Whether an intent allowing `limit` covers it.
    public func isCovered(by limit: UInt128) -> Bool {
        if case .atMost(let fee) = self { return fee <= limit }
        return false
    }

    public var description: String {
        switch self {
        case .atMost(let fee): String(fee)
        case .beyondUInt128: "more than 2^128-1"
        }
    }
}

/// What a payload would do once signed, as its chain's signer decoded it for the intent check.
public struct DecodedPayload: Sendable, Equatable {
    /// Every payment except the wallet's own, proven change. The intent check wants exactly the
    /// intent's payments: one, or a batch's outputs.
    public var transfers: [DecodedTransfer]
    /// The most fee the signed transaction can pay, in `feeUnit`.
    public var maximumFee: MaximumFee
    /// The chain's smallest native unit: "wei", "sat", "SUN", "lamports".
    public var feeUnit: String
    /// Why some outputs count as payments although they may be change (e.g. the vault was
    /// locked, so nothing could be proven); shown in a denial's reason.
    public var remarks: [String]

    public init(transfers: [DecodedTransfer], maximumFee: MaximumFee, feeUnit: String, remarks: [String] = []) {
        self.transfers = transfers
        self.maximumFee = maximumFee
        self.feeUnit = feeUnit
        self.remarks = remarks
    }
}
