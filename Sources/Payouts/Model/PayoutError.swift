public import CofferBase

/// The area of errors about payouts, their batches and hot wallets.
public enum PayoutDomain: ErrorDomain {}

/// A payout request or pipeline step that cannot be carried out.
public typealias PayoutError = DomainError<PayoutDomain>
