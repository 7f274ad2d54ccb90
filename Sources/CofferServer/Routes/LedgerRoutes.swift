import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import NIOCore
import Synchronization

/// /v1/assets, /v1/accounts, /v1/transfers: the ledger, seen through the caller's tenant
/// namespace (ids and asset codes are the tenant's own; two tenants may use the same ones).
struct LedgerRoutes: Sendable {
    let ledger: any LedgerStore
    let idempotent: IdempotentPost
    let assets: AssetCache

    init(ledger: any LedgerStore, idempotent: IdempotentPost) {
        self.ledger = ledger
        self.idempotent = idempotent
        assets = AssetCache(ledger: ledger)
    }

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.post("assets") { request, context in try await createAsset(request, context) }
        router.get("assets/:code") { _, context in try await showAsset(context) }
        router.post("accounts") { request, context in try await createAccount(request, context) }
        router.get("accounts/:id") { _, context in try await showAccount(context) }
        router.get("accounts/:id/balances") { request, context in try await balances(request, context) }
        router.get("accounts/:id/history") { request, context in try await history(request, context) }
        router.post("transfers") { request, context in try await createTransfer(request, context) }
        router.post("transfers/batch") { request, context in try await createBatch(request, context) }
        router.get("transfers") { request, context in try await listTransfers(request, context) }
        router.get("transfers/:id") { _, context in try await showTransfer(context) }
        router.post("transfers/:id/reverse") { request, context in try await reverse(request, context) }
        router.get("totals") { _, context in try await totals(context) }
    }

    // MARK: Assets

    static let assetFields: Set<String> = ["code", "decimals", "chain", "contract"]

    func createAsset(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let (caller, namespace) = try scope(context, .write)
        _ = caller
        let body = try await HTTPBody.collect(request, context)
        return try await idempotent.run(request, context: context, body: body) {
            let input = try JSONInput(body, allowed: Self.assetFields)
            let code = try input.requiredString("code")
            guard let decimals = try input.integer("decimals", as: UInt8.self) else { throw Problem.badRequest("decimals is missing") }
            let chain = try input.string("chain"), contract = try input.string("contract")
            let asset = try badRequest { () throws(LedgerError) in
                try Asset(code: try namespace.assetCode(code), decimals: decimals, chain: chain, contract: contract)
            }
            let created: Bool
            do {
                created = try await ledger.createAsset(asset)
            } catch let error as LedgerError {
                throw Problem.conflict(error.description, slug: "asset-exists")
            }
            return (created ? .created : .ok, assetJSON(asset, namespace: namespace, result: created ? "created" : "exists"))
        }
    }

    func showAsset(_ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .read)
        let code = try context.parameters.require("code")
        guard Asset.isValidLocal(code: code), let asset = try await assets.asset(namespace.asset(code)) else {
            throw Problem.notFound("no asset \"\(code.prefix(40))\"")
        }
        return .json(assetJSON(asset, namespace: namespace, result: nil))
    }

    func assetJSON(_ asset: Asset, namespace: LedgerNamespace, result: String?) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("code", .string(namespace.local(asset.code) ?? asset.code)), ("decimals", .int(Int64(asset.decimals))),
            ("chain", asset.chain.map(JSONValue.string) ?? .null), ("contract", asset.contract.map(JSONValue.string) ?? .null),
        ]
        if let result { fields.append(("result", .string(result))) }
        return .object(fields)
    }

    // MARK: Accounts

    static let accountFields: Set<String> = ["id", "asset", "flags", "owner", "code", "metadata"]

    func createAccount(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .write)
        let body = try await HTTPBody.collect(request, context)
        return try await idempotent.run(request, context: context, body: body) {
            let input = try JSONInput(body, allowed: Self.accountFields)
            let id = try localID(try input.requiredString("id"), field: "id")
            let assetCode = try input.requiredString("asset")
            var flags: AccountFlags = []
            for name in try input.strings("flags") ?? [] {
                guard let flag = AccountFlags.names.first(where: { $0.name == name }), flag.flag != .closed else {
                    throw Problem.badRequest("unknown account flag \"\(name.prefix(40))\"; use debits-must-not-exceed-credits or credits-must-not-exceed-debits")
                }
                flags.insert(flag.flag)
            }
            let account = Account(
                id: LedgerID(namespace: namespace, local: id), asset: try badRequest { () throws(LedgerError) in try namespace.assetCode(assetCode) },
                owner: try input.string("owner") ?? "", code: try input.integer("code", as: UInt16.self) ?? 0,
                metadata: try input.string("metadata") ?? "", flags: flags)
            let result = try await ledger.createAccount(account)
            switch result {
            case .created, .exists:
                guard let stored = try await ledger.account(account.id) else { throw Problem.notFound("account \(id) vanished") }
                let asset = try await assets.asset(stored.asset)
                return (result == .created ? .created : .ok, accountJSON(stored, asset: asset, namespace: namespace, result: result.rawValue))
            case .assetNotFound:
                throw Problem.unprocessable("asset \(assetCode.prefix(40)) does not exist; create it with POST /v1/assets", slug: "asset-not-found")
            case .flagsAreMutuallyExclusive:
                throw Problem.badRequest("debits-must-not-exceed-credits and credits-must-not-exceed-debits exclude each other")
            default:
                throw Problem(.conflict, "account-exists", "The account exists with other attributes",
                              detail: "account \(id) already exists with a different \(result.rawValue.dropFirst("exists_with_different_".count)); accounts never change",
                              extensions: [("result", .string(result.rawValue))])
            }
        }
    }

    func showAccount(_ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .read)
        let (account, asset) = try await findAccount(context, namespace)
        return .json(accountJSON(account, asset: asset, namespace: namespace, result: nil))
    }

    func findAccount(_ context: CofferRequestContext, _ namespace: LedgerNamespace) async throws -> (Account, Asset?) {
        let text = try context.parameters.require("id")
        guard LedgerID.isValidLocal(text), let local = LedgerID(text), let account = try await ledger.account(LedgerID(namespace: namespace, local: local)) else {
            throw Problem.notFound("no account \"\(text.prefix(70))\"")
        }
        return (account, try await assets.asset(account.asset))
    }

    func accountJSON(_ account: Account, asset: Asset?, namespace: LedgerNamespace, result: String?) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(String(account.id.local))), ("asset", .string(namespace.local(account.asset) ?? account.asset)),
            ("owner", .string(account.owner)), ("code", .int(Int64(account.code))), ("metadata", .string(account.metadata)),
            ("flags", .array(AccountFlags.names.filter { account.flags.contains($0.flag) }.map { .string($0.name) })),
            ("created_at", .string(LedgerTime.formatRFC3339(account.timestamp))),
        ]
        fields.reserveCapacity(fields.count + 6)
        fields.append(contentsOf: balanceFields(account.balances, decimals: asset?.decimals ?? 0))
        if let result { fields.append(("result", .string(result))) }
        return .object(fields)
    }

    func balanceFields(_ balances: AccountBalances, decimals: UInt8) -> [(String, JSONValue)] {
        [
            ("debits_posted", .string(LedgerAmount.decimal(balances.debitsPosted))),
            ("credits_posted", .string(LedgerAmount.decimal(balances.creditsPosted))),
            ("debits_pending", .string(LedgerAmount.decimal(balances.debitsPending))),
            ("credits_pending", .string(LedgerAmount.decimal(balances.creditsPending))),
            ("display", .object([
                ("debits_posted", .string(LedgerAmount.display(balances.debitsPosted, decimals: decimals))),
                ("credits_posted", .string(LedgerAmount.display(balances.creditsPosted, decimals: decimals))),
                ("debits_pending", .string(LedgerAmount.display(balances.debitsPending, decimals: decimals))),
                ("credits_pending", .string(LedgerAmount.display(balances.creditsPending, decimals: decimals))),
            ])),
        ]
    }

    func balances(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .read)
        let (account, asset) = try await findAccount(context, namespace)
        let at = try request.uri.queryParameters["at"].map { text throws(Problem) in
            try badRequest { () throws(LedgerError) in try LedgerTime.parseRFC3339(String(text)) }
        }
        guard let balances = try await ledger.balances(of: account.id, at: at ?? UInt64.max) else { throw Problem.notFound("no account \(account.id.local)") }
        var fields: [(String, JSONValue)] = [("id", .string(String(account.id.local))), ("asset", .string(namespace.local(account.asset) ?? account.asset))]
        if let at { fields.append(("at", .string(LedgerTime.formatRFC3339(at)))) }
        return .json(.object(fields + balanceFields(balances, decimals: asset?.decimals ?? 0)))
    }

    func history(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .read)
        let (account, asset) = try await findAccount(context, namespace)
        let (limit, cursor) = try Pagination.parse(request)
        guard let page = try await ledger.history(of: account.id, limit: limit, after: cursor) else { throw Problem.notFound("no account \(account.id.local)") }
        let rows: [JSONValue] = page.rows.map { entry in
            .object([
                ("event", .string(entry.event == .transfer ? "transfer" : "expiry")),
                ("transfer_id", .string(String(entry.transferID.local))),
                ("timestamp", .string(LedgerTime.formatRFC3339(entry.timestamp))),
            ] + balanceFields(entry.balances, decimals: asset?.decimals ?? 0))
        }
        return .json(Pagination.page(rows, next: page.nextCursor))
    }

    // MARK: Transfers

    func createTransfer(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .write)
        let body = try await HTTPBody.collect(request, context)
        let path = request.uri.path
        return try await idempotent.run(request, context: context, body: body, recording: { recorder in
            let transfer = try badRequest { () throws(LedgerError) in try namespace.enter(try TransferJSON.decode(body)) }
            return try await submit([transfer], recorder: recorder) { results in
                guard let result = results.first else { throw ServerError("the ledger returned no result") }
                return try IdempotentPost.catchingClientErrors(path: path) {
                    let (status, json) = try transferOutcome(transfer, result, namespace: namespace)
                    return StoredResponse(status: status.code, contentType: "application/json", body: json.bytes)
                }
            }
        })
    }

    /// Submits `transfers` and makes the response from their results. With a recorder on the
    /// embedded store, the response is stored in the ledger's own commit (one durable commit per
    /// request instead of two); otherwise the caller stores it afterwards.
    func submit(
        _ transfers: [Ledger.Transfer], recorder: IdempotentResponseRecorder?,
        respond: @escaping @Sendable ([TransferResult]) throws -> StoredResponse
    ) async throws -> (StoredResponse, recorded: Bool) {
        if let recorder, let embedded = ledger as? SQLiteLedgerStore, embedded.database === recorder.database {
            let committed = CommittedResponse()
            let results = try await embedded.submit(transfers) { results, db in
                let response = try respond(results)
                try recorder.write(response, db)
                committed.response.withLock { $0 = response }
            }
            return (try committed.response.withLock { $0 } ?? respond(results), true)
        }
        return (try respond(try await ledger.submit(transfers)), false)
    }

    /// The response a ledger commit stored, handed back to its request (not made twice).
    final class CommittedResponse: Sendable {
        let response = Mutex<StoredResponse?>(nil)
    }

    func transferOutcome(_ transfer: Ledger.Transfer, _ result: TransferResult, namespace: LedgerNamespace) throws -> (HTTPResponse.Status, JSONValue) {
        let id = String(transfer.id.local)
        switch result {
        case .created: return (.created, .object([("id", .string(id)), ("result", .string("created"))]))
        case .exists: return (.ok, .object([("id", .string(id)), ("result", .string("exists"))]))
        default:
            throw Problem(.unprocessableContent, "transfer-rejected", "The ledger rejected the transfer", detail: "transfer \(id): \(result.message)",
                          extensions: [("id", .string(id)), ("result", .string(result.rawValue))])
        }
    }

    func createBatch(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .write)
        let body = try await HTTPBody.collect(request, context)
        return try await idempotent.run(request, context: context, body: body, recording: { recorder in
            // `{"transfers":[...]}`, each item exactly a `coffer ledger transfer` line, at most 8,000.
            let transfers = try badRequest { () throws(LedgerError) in try TransferJSON.decodeBatch(Data(body)).map(namespace.enter) }
            return try await submit(transfers, recorder: recorder) { results in
                let rows: [JSONValue] = zip(transfers, results).map { transfer, result in
                    var fields: [(String, JSONValue)] = [("id", .string(String(transfer.id.local))), ("result", .string(result.rawValue))]
                    if !result.isSuccess { fields.append(("message", .string(result.message))) }
                    return .object(fields)
                }
                return StoredResponse(status: 200, contentType: "application/json", body: JSONValue.object([("results", .array(rows))]).bytes)
            }
        })
    }

    func showTransfer(_ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .read)
        let text = try context.parameters.require("id")
        guard LedgerID.isValidLocal(text), let local = LedgerID(text),
              let transfer = try await ledger.transfer(LedgerID(namespace: namespace, local: local)) else {
            throw Problem.notFound("no transfer \"\(text.prefix(70))\"")
        }
        return .json(try await transferJSON(transfer, namespace: namespace))
    }

    func transferJSON(_ stored: CommittedTransfer, namespace: LedgerNamespace) async throws -> JSONValue {
        let transfer = namespace.local(stored)
        let decimals = try await assets.asset(stored.asset)?.decimals ?? 0
        var fields: [(String, JSONValue)] = [
            ("id", .string(transfer.id.value)), ("debit", .string(transfer.debitAccountID.value)), ("credit", .string(transfer.creditAccountID.value)),
            ("amount", .string(LedgerAmount.decimal(transfer.amount))), ("display_amount", .string(LedgerAmount.display(transfer.amount, decimals: decimals))),
            ("asset", .string(transfer.asset)), ("flags", .array(transfer.flags.names.map(JSONValue.string))),
        ]
        if let pending = transfer.request.pendingID { fields.append(("pending_id", .string(pending.value))) }
        fields += [
            ("timeout", .int(Int64(transfer.request.timeout))), ("code", .int(Int64(transfer.request.code))),
            ("reference", .string(transfer.request.reference)), ("metadata", .string(transfer.request.metadata)),
            ("timestamp", .string(LedgerTime.formatRFC3339(transfer.timestamp))),
        ]
        return .object(fields)
    }

    func listTransfers(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .read)
        let (limit, cursor) = try Pagination.parse(request)
        let query = request.uri.queryParameters
        let allowed: Set<String> = ["account", "reference", "from", "to", "limit", "cursor"]
        if let unknown = query.map({ String($0.key) }).sorted().first(where: { !allowed.contains($0) }) {
            throw Problem.badRequest("unknown query parameter \"\(unknown.prefix(40))\"; use \(allowed.sorted().joined(separator: ", "))")
        }
        let account = try query["account"].map { text throws(Problem) in LedgerID(namespace: namespace, local: try localID(String(text), field: "account")) }
        let time = { (name: String) throws(Problem) -> UInt64? in
            try query[Substring(name)].map { text throws(Problem) in try badRequest { () throws(LedgerError) in try LedgerTime.parseRFC3339(String(text)) } }
        }
        let reference = query["reference"].map(String.init)
        if reference?.isEmpty == true { throw Problem.badRequest("reference is empty") }
        let page = try await ledger.transfers(TransferQuery(
            account: account, reference: reference, from: try time("from"), to: try time("to"), limit: limit, cursor: cursor,
            namespace: namespace))
        var rows: [JSONValue] = []
        for transfer in page.rows { rows.append(try await transferJSON(transfer, namespace: namespace)) }
        return .json(Pagination.page(rows, next: page.nextCursor))
    }

    static let reverseFields: Set<String> = ["id"]

    func reverse(_ request: Request, _ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .write)
        let body = try await HTTPBody.collect(request, context)
        let originalText = try context.parameters.require("id")
        return try await idempotent.run(request, context: context, body: body) {
            let input = try JSONInput(body, allowed: Self.reverseFields)
            let newID = LedgerID(namespace: namespace, local: try localID(try input.requiredString("id"), field: "id"))
            let original = LedgerID(namespace: namespace, local: try localID(originalText, field: "transfer id"))
            let result: TransferResult
            do {
                result = try await ledger.reverse(original, newID: newID)
            } catch let error as LedgerError {
                throw Problem.unprocessable(error.description.replacingOccurrences(of: namespace.prefix, with: ""), slug: "not-reversible")
            }
            return try transferOutcome(Ledger.Transfer(id: newID, debitAccountID: nil, creditAccountID: nil, amount: 0, asset: nil), result, namespace: namespace)
        }
    }

    func totals(_ context: CofferRequestContext) async throws -> Response {
        let (_, namespace) = try scope(context, .read)
        let rows: [JSONValue] = try await ledger.totals().compactMap { totals in
            guard let code = namespace.local(totals.asset) else { return nil }
            return .object([
                ("asset", .string(code)), ("debits_posted", .string(totals.debitsPosted.description)),
                ("credits_posted", .string(totals.creditsPosted.description)), ("debits_pending", .string(totals.debitsPending.description)),
                ("credits_pending", .string(totals.creditsPending.description)), ("balanced", .bool(totals.isBalanced)),
            ])
        }
        return .json(.object([("data", .array(rows))]))
    }

    // MARK: Helpers

    func scope(_ context: CofferRequestContext, _ needed: APIScope) throws -> (Principal, LedgerNamespace) {
        let caller = try context.caller()
        try caller.require(needed)
        return (caller, try LedgerNamespace(caller.tenantID))
    }

    func localID(_ text: String, field: String) throws(Problem) -> LedgerID {
        guard LedgerID.isValidLocal(text), let id = LedgerID(text) else {
            throw Problem.badRequest("\(field) \"\(text.prefix(70))\" is not an id: use 1-64 characters from A-Za-z0-9._:-")
        }
        return id
    }
}

/// Runs `body`, turning a `LedgerError` (always about the caller's input here) into 400.
func badRequest<T>(_ body: () throws(LedgerError) -> T) throws(Problem) -> T {
    do {
        return try body()
    } catch {
        throw Problem.badRequest(error.description)
    }
}

/// `?limit=&cursor=` and the `{"data":[...],"next_cursor":...}` envelope of every list.
enum Pagination {
    static func parse(_ request: Request) throws(Problem) -> (Int, LedgerCursor?) {
        let query = request.uri.queryParameters
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...TransferQuery.maximumLimit).contains(value) else {
                throw Problem.badRequest("limit must be a whole number from 1 to \(TransferQuery.maximumLimit)")
            }
            limit = value
        }
        let cursor = try query["cursor"].map { text throws(Problem) in
            try badRequest { () throws(LedgerError) in try LedgerCursor(parsing: String(text)) }
        }
        return (limit, cursor)
    }

    static func page(_ rows: [JSONValue], next: LedgerCursor?) -> JSONValue {
        .object([("data", .array(rows)), ("next_cursor", next.map { .string($0.text) } ?? .null)])
    }
}

/// Request bodies, collected up to the configured limit (413 beyond it).
enum HTTPBody {
    static func collect(_ request: Request, _ context: CofferRequestContext) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: context.bodyLimit)
        return Array(buffer.readableBytesView)
    }
}

/// Assets never change once created, so the routes keep those they have seen (only found ones:
/// an asset missing now may be created later) instead of reading them on every request.
final class AssetCache: Sendable {
    private let ledger: any LedgerStore
    private let known = Mutex<[String: Asset]>([:])

    init(ledger: any LedgerStore) { self.ledger = ledger }

    func asset(_ code: String) async throws -> Asset? {
        if let asset = known.withLock({ $0[code] }) { return asset }
        guard let asset = try await ledger.asset(code) else { return nil }
        known.withLock { known in
            if known.count > 100_000 { known.removeAll() }
            known[code] = asset
        }
        return asset
    }
}
