import Foundation
import HTTPTypes
import Hummingbird
import Vault
import WalletCore

/// Deposit addresses: `POST /v1/wallets/{id}/addresses` hands out the next unused indexes of a
/// wallet on a chain (one counter per wallet and address format, so concurrent requests never
/// get the same index), with a label, an owner id and a purpose; `GET /v1/addresses` lists them
/// with filters; `GET /v1/addresses/{address}` says which wallet, path and owner one belongs to.
struct AddressRoutes: Sendable {
    let gate: VaultGate
    let idempotent: IdempotentPost

    static let maximumCount: UInt32 = 1_000
    static let deriveFields: Set<String> = ["chain", "count", "label", "owner_id", "purpose", "scheme", "network"]

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("wallets/:id/addresses") { request, context in try await derive(request, context) }
        router.get("addresses") { request, context in try await Blocking.run { try list(request, context) } }
        router.get("addresses/:address") { _, context in try await Blocking.run { try show(context) } }
    }

    func derive(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let reference = try context.parameters.require("id")
        return try await gate.post(request, context, .write, idempotent: idempotent) { body, services, unlocked, caller in
            try derive(body, reference: reference, services: services, unlocked: unlocked, caller: caller)
        }
    }

    /// The synchronous part of `derive`: validate, open the seed, allocate and store the batch.
    func derive(_ body: [UInt8], reference: String, services: VaultServices, unlocked: UnlockedVault, caller: Principal) throws -> (HTTPResponse.Status, JSONValue) {
        let input = try JSONInput(body, allowed: Self.deriveFields)
        let format = try Self.format(input)
        guard let count = try input.integer("count", as: UInt32.self), (1...Self.maximumCount).contains(count) else {
            throw Problem.badRequest("count must be a whole number from 1 to \(Self.maximumCount)")
        }
        let label = try VaultRouteSupport.text(try input.string("label"), field: "label")
        let owner = try VaultRouteSupport.text(try input.string("owner_id"), field: "owner_id")
        let purpose = try VaultRouteSupport.text(try input.string("purpose"), field: "purpose")
        let (wallet, _) = try WalletRoutes.find(reference, services: services, caller: caller)
        let deriver = try unlocked.withSecret(of: wallet.walletID) { secret, _ throws -> AddressDeriver in
            guard case .seed(let seed) = secret else {
                throw Problem.unprocessable("wallet \(wallet.name) holds a single key, so it has no address batches; only HD wallets derive addresses",
                                            slug: "not-an-hd-wallet")
            }
            return try AddressDeriver(seed: seed, format: format)
        }
        let addresses: [TenantAddress]
        do {
            addresses = try services.wallets.allocate(
                tenantID: caller.tenantID, walletID: wallet.walletID, chain: format.chain.rawValue, format: Self.key(format), count: count,
                label: label, ownerID: owner, purpose: purpose, at: VaultClock.format(Date()),
                derive: { range in try deriver.derive(range: range) })
        } catch let exhausted as AddressSpaceExhausted {
            throw Problem.unprocessable("wallet \(wallet.name) has \(Int64(ChildIndex.hardenedOffset) - exhausted.next) unused indexes left in \(format)", slug: "address-space-exhausted")
        }
        return (.created, .object([
            ("wallet", .string(wallet.walletID)), ("chain", .string(format.chain.rawValue)), ("format", .string(Self.key(format))),
            ("data", .array(addresses.map { Self.json($0, walletName: wallet.name) })),
        ]))
    }

    func list(_ request: Request, _ context: CofferRequestContext) throws -> Response {
        let (services, _, caller) = try gate.open(context, .read)
        try VaultRouteSupport.onlyQuery(request, ["wallet", "chain", "owner_id", "purpose", "limit", "cursor"])
        let (limit, after) = try VaultRouteSupport.page(request)
        let query = request.uri.queryParameters
        var names: [String: String] = [:]
        var walletID: String?
        if let reference = query["wallet"] {
            let (wallet, _) = try WalletRoutes.find(String(reference), services: services, caller: caller)
            walletID = wallet.walletID
            names[wallet.walletID] = wallet.name
        }
        let chain = query["chain"].map(String.init)
        if let chain, Chain(rawValue: chain) == nil {
            throw Problem.badRequest("chain must be one of \(Chain.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let rows = try services.wallets.addresses(tenantID: caller.tenantID, AddressQuery(
            walletID: walletID, chain: chain,
            ownerID: try VaultRouteSupport.text(query["owner_id"].map(String.init), field: "owner_id"),
            purpose: try VaultRouteSupport.text(query["purpose"].map(String.init), field: "purpose"),
            limit: limit, after: after))
        var json: [JSONValue] = []
        for row in rows {
            if names[row.walletID] == nil {
                names[row.walletID] = try services.wallets.wallet(tenantID: caller.tenantID, reference: row.walletID)?.name ?? row.walletID
            }
            json.append(Self.json(row, walletName: names[row.walletID] ?? row.walletID))
        }
        return .json(VaultRouteSupport.envelope(json, lastSeq: rows.last?.seq, limit: limit))
    }

    func show(_ context: CofferRequestContext) throws -> Response {
        let (services, _, caller) = try gate.open(context, .read)
        let text = try context.parameters.require("address")
        guard text.count <= 128, let row = try services.wallets.address(tenantID: caller.tenantID, text),
              let wallet = try services.wallets.wallet(tenantID: caller.tenantID, reference: row.walletID) else {
            throw Problem.notFound("no address \"\(text.prefix(128))\" among your wallets' addresses")
        }
        return .json(Self.json(row, walletName: wallet.name))
    }

    /// The address format from `chain` and, for Bitcoin only, `scheme` and `network`.
    static func format(_ input: JSONInput) throws(Problem) -> AddressFormat {
        let chainName = try input.requiredString("chain")
        guard let chain = Chain(rawValue: chainName) else {
            throw Problem.badRequest("chain must be one of \(Chain.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let scheme = try input.string("scheme").map { name throws(Problem) in
            guard let scheme = BitcoinScheme(rawValue: name) else {
                throw Problem.badRequest("scheme must be one of \(BitcoinScheme.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return scheme
        }
        let network = try input.string("network").map { name throws(Problem) in
            guard let network = BitcoinNetwork(rawValue: name) else { throw Problem.badRequest("network must be mainnet or testnet") }
            return network
        }
        guard chain == .bitcoin || (scheme == nil && network == nil) else {
            throw Problem.badRequest("scheme and network apply to chain bitcoin only")
        }
        do { return try AddressFormat(chain: chain, scheme: scheme, network: network) } catch { throw Problem.badRequest("\(error)") }
    }

    /// The counter key of a format: "bitcoin:p2wpkh:mainnet", "ethereum", "tron", "solana".
    static func key(_ format: AddressFormat) -> String {
        switch format {
        case .bitcoin(let scheme, let network): "bitcoin:\(scheme.rawValue):\(network.rawValue)"
        default: format.chain.rawValue
        }
    }

    static func json(_ address: TenantAddress, walletName: String) -> JSONValue {
        .object([
            ("address", .string(address.address)), ("wallet", .string(address.walletID)), ("wallet_name", .string(walletName)),
            ("chain", .string(address.chain)), ("format", .string(address.format)), ("index", .int(Int64(address.index))),
            ("path", .string(address.path)), ("label", address.label.map(JSONValue.string) ?? .null),
            ("owner_id", address.ownerID.map(JSONValue.string) ?? .null), ("purpose", address.purpose.map(JSONValue.string) ?? .null),
            ("created_at", .string(address.createdAt)),
        ])
    }
}
