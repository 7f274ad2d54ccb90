public import Chains
public import CofferBase
import CofferStorage
import Foundation
import Ledger
import QRCode
import Tenancy
import WalletCore
import Wallets

/// Invoices (payment requests) as every door offers them: a fresh one-time address per invoice,
/// a BIP21 or EIP-681 URI with its QR code, and a status the chain's deposits drive.
public struct InvoiceService: Sendable {
    public let chains: ChainService

    public init(chains: ChainService) { self.chains = chains }

    /// Default and bounds of `expires_in`, in seconds.
    public static let defaultExpiry: Int64 = 3600
    public static let expiryRange: ClosedRange<Int64> = 1...(90 * 86_400)
    /// Unicode scalars in a memo: percent-encoded (at most 12 characters each) it still leaves a
    /// BIP21 URI within a QR code's capacity (2,953 bytes at the low error-correction level).
    public static let maximumMemo = 200

    public func create(_ request: CreateInvoiceRequest, by caller: Caller) async throws -> InvoiceView {
        try caller.require(.write)
        let chain = try await chains.find(request.chain, by: caller)
        let network = try ChainNetwork.named(chain.network)
        let names = LedgerNames(caller)
        let amount: UInt128
        do { amount = try AmountText.parse(request.amount, field: "amount") } catch { throw ServiceError.invalid("\(error)") }
        guard amount > 0 else { throw ServiceError.invalid("amount must be more than 0 (in the asset's smallest unit)") }
        let expiresIn = request.expiresIn ?? Self.defaultExpiry
        guard Self.expiryRange.contains(expiresIn) else {
            throw ServiceError.invalid("expires_in must be from \(Self.expiryRange.lowerBound) to \(Self.expiryRange.upperBound) seconds")
        }
        // Counted in Unicode scalars (as JSON Schema's maxLength counts): a Character may hold any
        // number of combining marks, and the memo must fit the payment URI's QR code.
        if let memo = request.memo,
           memo.unicodeScalars.count > Self.maximumMemo || memo.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ServiceError.invalid("memo must be at most \(Self.maximumMemo) characters without control characters")
        }
        // The asset: the chain's own, or one of its tokens.
        var token: ChainToken?
        var asset = chain.asset
        var decimals = UInt8(network.decimals)
        if let code = request.asset, try names.assetCode(code, field: "asset") != chain.asset {
            let stored = try names.assetCode(code, field: "asset")
            guard let found = try await chains.store.tokens(chain: chain.name).first(where: { $0.asset == stored }) else {
                throw ServiceError.invalid("asset \(code.prefix(40)) is neither \(names.localAsset(chain.asset)) nor a token of chain \(request.chain)")
            }
            token = found
            asset = found.asset
            decimals = found.decimals
        }
        let account = try await chains.boundAccount(request.account, chain: chain, caller: caller)
        let now = chains.clock()
        let id = "inv_" + Self.randomID()
        let format = try ChainService.format(chain, scheme: request.scheme)
        let chainName = chain.name
        let chosenToken = token
        let invoiceAsset = asset
        let scope = caller.tenant?.tenantID ?? ""
        let memo = request.memo
        let addresses = try await chains.wallets.allocate(request.wallet, format: format, count: 1, purpose: "invoice", ownerID: request.account, by: caller) { allocated, walletID, connection in
            guard let address = allocated.first else { return }
            try ChainStore.watch([WatchedAddress(chain: chainName, address: address.address, account: account, walletID: walletID, path: address.path, invoiceID: id)], on: connection)
            try InvoiceSQL.insert(Invoice(
                seq: 0, id: id, scope: scope, chain: chainName, walletID: walletID, account: account, address: address.address, asset: invoiceAsset,
                token: chosenToken?.contract ?? "", amount: amount, memo: memo, status: .open, late: false, received: 0, expiresAt: now + expiresIn,
                createdAt: now, paidAt: nil), on: connection)
        }
        guard addresses.first != nil else { throw ServiceError(.internal, "internal", "no address was handed out for the invoice") }
        return try await invoice(id, by: caller)
    }

    public func invoice(_ id: String, by caller: Caller) async throws -> InvoiceView {
        try caller.require(.read)
        return try await view(try await find(id, by: caller), caller: caller)
    }

    /// The caller's invoices in creation order, optionally of one status.
    public func invoices(status: String?, page: PageRequest, by caller: Caller) async throws -> Page<InvoiceView> {
        try caller.require(.read)
        let parsed = try status.map { text throws(ServiceError) in
            do { return try InvoiceStatus.parse(text) } catch { throw ServiceError.invalid("\(error)") }
        }
        let scope = caller.tenant?.tenantID
        let after = Int64(clamping: page.after?.position ?? 0)
        let now = chains.clock()
        let rows = try await chains.store.database.read { connection in
            try InvoiceSQL.invoices(scope: scope, status: parsed, now: now, after: after, limit: page.limit + 1, on: connection)
        }
        let pageRows = Page.keyset(rows, limit: page.limit, cursor: { PageCursor(position: UInt64($0.seq)) })
        var views: [InvoiceView] = []
        for invoice in pageRows.items { views.append(try await view(invoice, caller: caller)) }
        return Page(items: views, nextCursor: pageRows.nextCursor)
    }

    /// The invoice's payment URI as a QR code in SVG.
    public func qrSVG(_ id: String, by caller: Caller) async throws -> String {
        let view = try await invoice(id, by: caller)
        // Medium error correction when the URI fits it, low for the longest memos.
        let code = (try? QRCode(view.uri, correction: .medium)) ?? (try? QRCode(view.uri, correction: .low))
        guard let code else { throw ServiceError(.internal, "qr-failed", "the payment URI of invoice \(id) (\(view.uri.utf8.count) bytes) does not fit in a QR code") }
        return code.svg()
    }

    func find(_ id: String, by caller: Caller) async throws -> Invoice {
        let scope = caller.tenant?.tenantID
        guard id.count <= 64, let invoice = try await chains.store.database.read({ connection in try InvoiceSQL.invoice(id: id, on: connection) }),
              scope == nil || invoice.scope == scope else {
            throw ServiceError.notFound("no invoice \"\(id.prefix(64))\"", code: "invoice-not-found")
        }
        return invoice
    }

    func view(_ invoice: Invoice, caller: Caller) async throws -> InvoiceView {
        let chain = try await chains.store.chain(invoice.chain)
        let network = try chain.map { try ChainNetwork.named($0.network) }
        let decimals = try await chains.ledger.store.asset(invoice.asset)?.decimals ?? UInt8(network?.decimals ?? 0)
        let uri: String
        if let network, network.family == .evm {
            uri = PaymentURI.eip681(address: invoice.address, chainID: network.evmChainID ?? 1, amount: invoice.amount, token: invoice.token.isEmpty ? nil : invoice.token)
        } else {
            uri = PaymentURI.bip21(scheme: network?.uriScheme ?? "bitcoin", address: invoice.address, amount: invoice.amount, decimals: decimals, memo: invoice.memo)
        }
        // An open invoice past its expiry is expired now, even before the syncer records it.
        let status = invoice.status == .open && chains.clock() > invoice.expiresAt ? InvoiceStatus.expired : invoice.status
        return InvoiceView(
            id: invoice.id, address: invoice.address, uri: uri, amount: invoice.amount, asset: LedgerNames(caller).localAsset(invoice.asset),
            status: status.rawValue, expiresAt: ChainService.time(invoice.expiresAt), chain: caller.local(invoice.chain) ?? invoice.chain,
            account: caller.local(invoice.account) ?? invoice.account, received: invoice.received, late: invoice.late, memo: invoice.memo,
            createdAt: ChainService.time(invoice.createdAt))
    }

    /// 20 characters of a-z2-7 (100 bits).
    static func randomID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(generator.next() % 32)] })
    }
}
