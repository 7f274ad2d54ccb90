public import Chains
import ChainNodes
public import CofferStorage
import Foundation
public import Ledger
public import Payouts
public import Reconciliation
public import Tenancy
public import Vault
public import Webhooks

/// The application core: one service per capability over one set of stores. The CLI, the HTTP
/// API and background workers are thin adapters over these: they decode a request, call a
/// service with the caller, and encode its answer or its error.
public struct CofferServices: Sendable {
    public let stores: CofferStores
    public let vault: VaultAccess
    public let ledger: LedgerService
    public let tenancy: TenancyService
    public let wallets: WalletService
    public let signing: SigningRequestService
    public let audit: AuditService
    public let chains: ChainService
    public let invoices: InvoiceService
    public let splits: SplitService
    public let payouts: PayoutService
    public let webhooks: WebhookService
    public let customers: CustomerService
    public let market: MarketService
    public let recon: ReconService
    public let reports: ReportService
    /// Live aggregation and the stream's hub (one per server).
    public let live: MarketLive
    /// The monitoring rules over live prices and the ledger (one per server).
    public let monitor: MarketMonitor

    /// `webhookSender` and `webhooks` are for tests and the server's settings; the defaults
    /// deliver over HTTP with the standard retry policy.
    public init(stores: CofferStores, vault: VaultAccess, signers: [any PayloadSigner], sources: @escaping ChainSourceFactory = ChainSources.make,
                payoutEdges: @escaping PayoutEdgeFactory = { chain, hot, vault, change in try await PayoutEdges.make(chain, hot: hot, vault: vault, changeAddresses: change) },
                webhooks webhookOptions: WebhookOptions = WebhookOptions(),
                webhookSender: any WebhookSender = HTTPWebhookSender(client: JSONRPCClient.sharedHTTPClient)) {
        self.stores = stores
        self.vault = vault
        ledger = LedgerService(store: stores.ledger)
        tenancy = TenancyService(store: stores.tenancy)
        wallets = WalletService(vault: vault, directory: stores.wallets)
        signing = SigningRequestService(vault: vault, store: stores.signing, directory: stores.wallets, signers: signers)
        audit = AuditService(vault: vault, directory: stores.wallets)
        chains = ChainService(store: stores.chains, ledger: ledger, wallets: wallets, sources: sources)
        invoices = InvoiceService(chains: chains)
        splits = SplitService(invoices: invoices)
        customers = CustomerService(store: stores.customers, ledger: ledger, vault: vault)
        market = MarketService(store: stores.market, ledger: ledger)
        recon = ReconService(store: stores.recon, ledgerService: ledger, signing: stores.signing, chains: chains)
        reports = ReportService(ledgerService: ledger, recon: stores.recon, facts: ReportFacts(database: stores.database), market: market, audit: audit)
        monitor = MarketMonitor(market: market)
        live = MarketLive(store: stores.market, monitor: monitor)
        payouts = PayoutService(store: stores.payouts, chains: chains, ledger: ledger, signing: signing, edges: payoutEdges, customers: customers)
        webhooks = WebhookService(store: stores.webhooks, vault: vault, events: OutboxWebhookEvents(store: stores.chains), sender: webhookSender,
                                  options: webhookOptions)
    }

    /// The payload signers every door registers.
    public static let payloadSigners: [any PayloadSigner] = [
        EthereumTransactionPayloadSigner(), BitcoinPSBTPayloadSigner(), TronPayloadSigner(), SolanaPayloadSigner(),
    ]
}
