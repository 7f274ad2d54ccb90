import Foundation
import HTTPTypes
import Hummingbird
import Vault
import WalletCore

/// /v1/wallets: a tenant's vault wallets. Creating one makes a BIP39 mnemonic inside the vault
/// that is never returned; importing takes a mnemonic, a private key or an Ethereum V3 keystore
/// in the body, which is never logged or echoed. Responses hold public facts only.
struct WalletRoutes: Sendable {
    let gate: VaultGate
    let idempotent: IdempotentPost

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("wallets") { request, context in try await create(request, context) }
        router.get("wallets") { request, context in try await Blocking.run { try list(request, context) } }
        router.get("wallets/:id") { _, context in try await Blocking.run { try show(context) } }
        router.post("wallets/:id/backup") { request, context in try await WalletBackupRoute(gate: gate).backup(request, context) }
    }

    static let createFields: Set<String> = [
        "name", "source", "word_count", "mnemonic", "bip39_passphrase", "private_key", "curve", "keystore", "password",
    ]

    func create(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require(.write)
        let body = try await HTTPBody.collect(request, context)
        return try await idempotent.run(request, context: context, body: body) {
            try await Blocking.run { try create(body, context, caller) }
        }
    }

    /// The synchronous part of `create`: parse, seal into the vault, record the owner.
    func create(_ body: [UInt8], _ context: CofferRequestContext, _ caller: Principal) throws -> (HTTPResponse.Status, JSONValue) {
        let input = try JSONInput(body, allowed: Self.createFields)
        let source = try input.string("source") ?? "generate"
        // Importing brings outside key material in: admin only. Generating needs write.
        let (services, unlocked, _) = try gate.open(context, source == "generate" ? .write : .admin)
        let name = try Self.name(try input.requiredString("name"))
        if try services.wallets.nameTaken(tenantID: caller.tenantID, name: name) { throw Self.nameTaken(name) }
        let (secret, origin) = try WalletImport.secret(source: source, input: input, body: body)
        let info: WalletInfo
        do {
            // The owner is recorded in the transaction that stores the wallet: a crash cannot
            // leave a sealed wallet that no tenant owns (and whose name could never be used again).
            info = try unlocked.addWallet(name: TenantWalletStore.vaultName(tenantID: caller.tenantID, name: name), secret: secret, origin: origin) { info, db in
                guard try TenantWalletStore.register(tenantID: caller.tenantID, walletID: info.id, name: name, at: VaultClock.format(info.createdAt), db: db) else {
                    throw Self.nameTaken(name)
                }
            }
        } catch {
            if try services.wallets.nameTaken(tenantID: caller.tenantID, name: name)
                || services.vault.store.wallet(TenantWalletStore.vaultName(tenantID: caller.tenantID, name: name)) != nil {
                throw Self.nameTaken(name)
            }
            throw Problem.unprocessable("\(error)", slug: "wallet-refused")
        }
        return (.created, Self.json(info, name: name))
    }

    func list(_ request: Request, _ context: CofferRequestContext) throws -> Response {
        let (services, _, caller) = try gate.open(context, .read)
        try VaultRouteSupport.onlyQuery(request, ["limit", "cursor"])
        let (limit, after) = try VaultRouteSupport.page(request, maximum: 500)
        let page = try services.wallets.wallets(tenantID: caller.tenantID, limit: limit, after: after)
        var rows: [JSONValue] = []
        for wallet in page {
            guard let stored = try services.vault.store.wallet(wallet.walletID) else { continue }
            rows.append(Self.json(stored.info, name: wallet.name))
        }
        return .json(VaultRouteSupport.envelope(rows, lastSeq: page.last?.seq, limit: limit))
    }

    func show(_ context: CofferRequestContext) throws -> Response {
        let (services, _, caller) = try gate.open(context, .read)
        let (wallet, info) = try Self.find(context.parameters.require("id"), services: services, caller: caller)
        return .json(Self.json(info, name: wallet.name))
    }

    /// The caller's wallet by id or name, or 404 (also for another tenant's wallet).
    static func find(_ reference: String, services: VaultServices, caller: Principal) throws -> (TenantWallet, WalletInfo) {
        guard let wallet = try services.wallets.wallet(tenantID: caller.tenantID, reference: reference),
              let stored = try services.vault.store.wallet(wallet.walletID) else {
            throw Problem.notFound("no wallet \"\(reference.prefix(70))\"")
        }
        return (wallet, stored.info)
    }

    /// 1-64 printable characters without leading or trailing spaces.
    static func name(_ text: String) throws(Problem) -> String {
        guard !text.isEmpty, text.count <= 64, text == text.trimmingCharacters(in: .whitespacesAndNewlines),
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Problem.badRequest("name must be 1-64 characters, no control characters and no leading or trailing spaces")
        }
        return text
    }

    static func nameTaken(_ name: String) -> Problem {
        Problem.conflict("you already have a wallet named \"\(name)\"; choose another name", slug: "wallet-name-taken")
    }

    /// Public facts only: never the secret, never anything derived from it but the fingerprint
    /// (HD) or the address (single key) the vault keeps in clear.
    static func json(_ info: WalletInfo, name: String) -> JSONValue {
        .object([
            ("id", .string(info.id)), ("name", .string(name)), ("kind", .string(info.kind.rawValue)),
            ("curve", info.curve.map(JSONValue.string) ?? .null), ("origin", .string(info.origin)),
            ("summary", .string(info.summary)), ("created_at", .string(VaultClock.format(info.createdAt))),
        ])
    }
}
