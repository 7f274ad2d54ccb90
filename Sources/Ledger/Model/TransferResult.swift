/// The outcome of one transfer. Cases are declared in precedence order: when several
/// rejections apply, the first one listed is reported (docs/ledger.md).
public enum TransferResult: String, Sendable, CaseIterable {
    case created
    case linkedEventFailed = "linked_event_failed"
    case linkedEventChainOpen = "linked_event_chain_open"
    case flagsAreMutuallyExclusive = "flags_are_mutually_exclusive"
    case pendingIDRequired = "pending_id_required"
    case pendingIDMustBeAbsent = "pending_id_must_be_absent"
    case pendingIDMustBeDifferent = "pending_id_must_be_different"
    case timeoutReservedForPendingTransfer = "timeout_reserved_for_pending_transfer"
    case debitAccountRequired = "debit_account_required"
    case creditAccountRequired = "credit_account_required"
    case assetRequired = "asset_required"
    case amountMustNotBeZero = "amount_must_not_be_zero"
    case accountsMustBeDifferent = "accounts_must_be_different"
    case existsWithDifferentFlags = "exists_with_different_flags"
    case existsWithDifferentPendingID = "exists_with_different_pending_id"
    case existsWithDifferentDebitAccountID = "exists_with_different_debit_account_id"
    case existsWithDifferentCreditAccountID = "exists_with_different_credit_account_id"
    case existsWithDifferentAsset = "exists_with_different_asset"
    case existsWithDifferentAmount = "exists_with_different_amount"
    case existsWithDifferentTimeout = "exists_with_different_timeout"
    case existsWithDifferentCode = "exists_with_different_code"
    case existsWithDifferentReference = "exists_with_different_reference"
    case existsWithDifferentMetadata = "exists_with_different_metadata"
    case exists
    case alreadyReversed = "already_reversed"
    case debitAccountNotFound = "debit_account_not_found"
    case creditAccountNotFound = "credit_account_not_found"
    case accountsMustHaveTheSameAsset = "accounts_must_have_the_same_asset"
    case transferMustHaveTheSameAssetAsAccounts = "transfer_must_have_the_same_asset_as_accounts"
    case debitAccountClosed = "debit_account_closed"
    case creditAccountClosed = "credit_account_closed"
    case pendingTransferNotFound = "pending_transfer_not_found"
    case pendingTransferNotPending = "pending_transfer_not_pending"
    case pendingTransferHasDifferentDebitAccountID = "pending_transfer_has_different_debit_account_id"
    case pendingTransferHasDifferentCreditAccountID = "pending_transfer_has_different_credit_account_id"
    case pendingTransferHasDifferentAsset = "pending_transfer_has_different_asset"
    case exceedsPendingTransferAmount = "exceeds_pending_transfer_amount"
    case pendingTransferHasDifferentAmount = "pending_transfer_has_different_amount"
    case pendingTransferAlreadyPosted = "pending_transfer_already_posted"
    case pendingTransferAlreadyVoided = "pending_transfer_already_voided"
    case pendingTransferExpired = "pending_transfer_expired"
    case overflowsDebitsPending = "overflows_debits_pending"
    case overflowsCreditsPending = "overflows_credits_pending"
    case overflowsDebitsPosted = "overflows_debits_posted"
    case overflowsCreditsPosted = "overflows_credits_posted"
    case overflowsDebits = "overflows_debits"
    case overflowsCredits = "overflows_credits"
    case overflowsTimeout = "overflows_timeout"
    case exceedsCredits = "exceeds_credits"
    case exceedsDebits = "exceeds_debits"

    /// `created` and `exists` leave the ledger as the client wants it; everything else is a rejection.
    public var isSuccess: Bool { self == .created || self == .exists }

    /// One line for operators saying what to change.
    public var message: String {
        switch self {
        case .created: "transfer committed"
        case .exists: "a transfer with this id and identical fields is already committed; nothing changed"
        case .alreadyReversed: "another transfer already carries this reversal reference: the transfer it names was reversed once, and reversing it again would undo it twice"
        case .linkedEventFailed: "another transfer of the linked chain failed, so none of the chain was committed"
        case .linkedEventChainOpen: "the last transfer of the batch has the linked flag; close the chain with a transfer without it"
        case .flagsAreMutuallyExclusive: "use at most one of pending, post_pending and void_pending, and no balancing flag with post or void"
        case .pendingIDRequired: "post_pending and void_pending need pending_id"
        case .pendingIDMustBeAbsent: "pending_id is only for post_pending and void_pending"
        case .pendingIDMustBeDifferent: "pending_id must name another transfer than this one"
        case .timeoutReservedForPendingTransfer: "timeout is only for pending transfers"
        case .debitAccountRequired: "the debit account is missing"
        case .creditAccountRequired: "the credit account is missing"
        case .assetRequired: "the asset is missing"
        case .amountMustNotBeZero: "amount must be above zero"
        case .accountsMustBeDifferent: "debit and credit are the same account"
        case .existsWithDifferentFlags, .existsWithDifferentPendingID, .existsWithDifferentDebitAccountID,
            .existsWithDifferentCreditAccountID, .existsWithDifferentAsset, .existsWithDifferentAmount,
            .existsWithDifferentTimeout, .existsWithDifferentCode, .existsWithDifferentReference, .existsWithDifferentMetadata:
            "a transfer with this id is already committed with a different \(rawValue.dropFirst("exists_with_different_".count).replacingUnderscores); use a new id"
        case .debitAccountNotFound: "the debit account does not exist"
        case .creditAccountNotFound: "the credit account does not exist"
        case .accountsMustHaveTheSameAsset: "debit and credit accounts hold different assets; convert through exchange accounts with two linked transfers"
        case .transferMustHaveTheSameAssetAsAccounts: "the transfer's asset is not the accounts' asset"
        case .debitAccountClosed: "the debit account is closed"
        case .creditAccountClosed: "the credit account is closed"
        case .pendingTransferNotFound: "no transfer has the pending_id given"
        case .pendingTransferNotPending: "the transfer named by pending_id is not a pending transfer"
        case .pendingTransferHasDifferentDebitAccountID: "the debit account differs from the pending transfer's"
        case .pendingTransferHasDifferentCreditAccountID: "the credit account differs from the pending transfer's"
        case .pendingTransferHasDifferentAsset: "the asset differs from the pending transfer's"
        case .exceedsPendingTransferAmount: "the amount posted exceeds the pending amount"
        case .pendingTransferHasDifferentAmount: "a void must give amount 0 or exactly the pending amount"
        case .pendingTransferAlreadyPosted: "the pending transfer was already posted"
        case .pendingTransferAlreadyVoided: "the pending transfer was already voided"
        case .pendingTransferExpired: "the pending transfer expired and its amount was released"
        case .overflowsDebitsPending: "the debit account's pending debits would exceed 2^128-1"
        case .overflowsCreditsPending: "the credit account's pending credits would exceed 2^128-1"
        case .overflowsDebitsPosted: "the debit account's posted debits would exceed 2^128-1"
        case .overflowsCreditsPosted: "the credit account's posted credits would exceed 2^128-1"
        case .overflowsDebits: "the debit account's pending plus posted debits would exceed 2^128-1"
        case .overflowsCredits: "the credit account's pending plus posted credits would exceed 2^128-1"
        case .overflowsTimeout: "the timeout reaches past the end of the ledger's clock"
        case .exceedsCredits: "the debit account's debits would exceed its credits"
        case .exceedsDebits: "the credit account's credits would exceed its debits"
        }
    }
}

extension Substring {
    fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

/// The outcome of creating one account, in precedence order like `TransferResult`.
public enum AccountResult: String, Sendable, CaseIterable {
    case created
    case flagsAreMutuallyExclusive = "flags_are_mutually_exclusive"
    case existsWithDifferentAsset = "exists_with_different_asset"
    case existsWithDifferentFlags = "exists_with_different_flags"
    case existsWithDifferentOwner = "exists_with_different_owner"
    case existsWithDifferentCode = "exists_with_different_code"
    case existsWithDifferentMetadata = "exists_with_different_metadata"
    case exists
    case assetNotFound = "asset_not_found"

    public var isSuccess: Bool { self == .created || self == .exists }
}

extension AccountResult {
    /// The result of creating `account` when `existing` already has its id: `exists` when every
    /// attribute matches, else the first differing one.
    static func resubmitting(_ account: Account, over existing: Account) -> AccountResult {
        if existing.asset != account.asset { return .existsWithDifferentAsset }
        if existing.flags != account.flags { return .existsWithDifferentFlags }
        if existing.owner != account.owner { return .existsWithDifferentOwner }
        if existing.code != account.code { return .existsWithDifferentCode }
        if existing.metadata != account.metadata { return .existsWithDifferentMetadata }
        return .exists
    }
}
