import Chains
public import CofferBase
import Crypto
import Ledger
import Reconciliation
import Tenancy
import WalletCore

extension ReconService {
    /// One asset of a chain as a chain run compares it.
    struct ChainAsset {
        let asset: String
        let account: String
        /// "" for the native asset, else the token contract.
        let token: String
    }

    /// What the ledger says of a custody account, read so that it belongs with the deposits
    /// not yet credited (see `ledgerSide`).
    struct CustodyBalance {
        var ledger: Int128 = 0
        var pending: Int128 = 0
        var uncredited: Int128 = 0
        var raw: AccountBalances?
    }

    /// Compares what Coffer's addresses on a chain hold (read from the chain's node at one block)
    /// with the ledger's custody accounts of the chain's native asset and its tokens, and stores
    /// the comparison as a run (`source` `chain`) whose lines are the assets. An asset whose
    /// difference no movement in flight explains is a `balance_difference` exception; one that
    /// deposits not yet credited or payouts not yet settled explain is a `timing_difference`
    /// (a rerun after they settle decides).
    public func reconcileChain(_ request: ChainReconRequest, by caller: Caller, trigger: String = "manual") async throws -> ReconRunView {
        try caller.require(.write)
        let chain = try await chains.find(request.chain, by: caller)
        let names = LedgerNames(caller)
        let facts = ChainReconFacts(database: store.database)
        let started = clock()
        let clock = ContinuousClock(), begin = clock.now

        let tokens = try await chains.store.tokens(chain: chain.name)
        let assets = [ChainAsset(asset: chain.asset, account: chain.custodyAccount, token: "")]
            + tokens.map { ChainAsset(asset: $0.asset, account: ChainSyncer.tokenAccount(chain.custodyAccount, asset: $0.asset), token: $0.contract) }
        let addresses = try await facts.addresses(chain: chain.name)
        let holdings = try await chains.sources(chain).holdings(of: addresses, tokens: Set(tokens.map(\.contract)))
        let ledgerSide = try await ledgerSide(assets, chain: chain.name, facts: facts)

        var chainHash = SHA256(), ledgerHash = SHA256()
        chainHash.update(data: Array("\(holdings.at.height)\t\(holdings.at.hash)\n".utf8))
        for address in addresses { chainHash.update(data: Array("\(address)\n".utf8)) }
        var balances: [StoredBalance] = []
        var exceptions: [ExceptionRecord] = []
        for (asset, custody) in zip(assets, ledgerSide) {
            let held = asset.token.isEmpty ? holdings.native : holdings.tokens[asset.token] ?? 0
            guard let onChain = Int128(exactly: held) else {
                throw ServiceError(.rejected, "amount-too-large", "\(names.localAsset(asset.asset)) held on \(request.chain) is above 2^127-1 units; it cannot be reconciled")
            }
            let difference = onChain - custody.ledger
            let status = Self.status(difference: difference, pending: custody.pending, uncredited: custody.uncredited)
            let account = names.local(try LedgerID(validating: asset.account, field: "custody account"))
            let localAsset = names.localAsset(asset.asset)
            chainHash.update(data: Array("\(asset.asset)\t\(asset.token)\t\(onChain)\n".utf8))
            if let raw = custody.raw {
                ledgerHash.update(data: Array("\(asset.account)\t\(raw.debitsPosted)\t\(raw.creditsPosted)\t\(raw.debitsPending)\t\(raw.creditsPending)\n".utf8))
            }
            ledgerHash.update(data: Array("\(asset.asset)\t\(custody.uncredited)\n".utf8))
            balances.append(StoredBalance(
                chain: caller.local(chain.name) ?? chain.name, asset: localAsset, account: account, height: Int64(clamping: holdings.at.height),
                block: holdings.at.hash, onChain: onChain.description, ledger: custody.ledger.description, pending: custody.pending.description,
                uncredited: custody.uncredited.description, difference: difference.description, status: status))
            guard status != "balanced" else { continue }
            exceptions.append(ExceptionRecord(
                kind: status == "in_flight" ? "timing_difference" : "balance_difference", ledger: [account], statement: [], amountDifference: difference.description,
                detail: "chain=\(caller.local(chain.name) ?? chain.name) asset=\(localAsset) height=\(holdings.at.height) on_chain=\(onChain) ledger=\(custody.ledger) "
                    + "pending=\(custody.pending) uncredited=\(custody.uncredited)",
                itemTime: started))
        }
        let balanced = balances.count { $0.status == "balanced" }
        var record = ReconRunRecord(
            statement: caller.local(chain.name) ?? chain.name, account: names.local(try LedgerID(validating: chain.custodyAccount)), from: nil, to: nil,
            rules: "[]", statementChecksum: Hex.encode(Array(chainHash.finalize())), ledgerChecksum: Hex.encode(Array(ledgerHash.finalize())),
            ledgerRows: assets.count, statementRows: addresses.count, matched: balanced, unmatchedLedger: balances.count - balanced,
            unmatchedStatement: 0, exceptions: exceptions.count, durationMicros: Self.micros(clock.now - begin), perRule: [], trigger: trigger,
            startedAt: started)
        record.source = "chain"
        record.balances = balances
        record.id = try await store.addRun(scope: Self.scope(caller), record, matches: [], exceptions: exceptions)
        return ReconRunView(record)
    }

    /// `balanced` when chain and ledger agree; `in_flight` when what is left after deposits not
    /// yet credited is nothing, or is less on chain while payouts are pending (they left, or are
    /// leaving, before the ledger settles them); else `different`. More on chain than the ledger
    /// and its uncredited deposits know is never in flight: nothing leaving adds coins.
    static func status(difference: Int128, pending: Int128, uncredited: Int128) -> String {
        let residual = difference - uncredited
        if residual == 0 { return uncredited == 0 ? "balanced" : "in_flight" }
        return residual < 0 && pending < 0 ? "in_flight" : "different"
    }

    /// The custody accounts' balances with the deposits confirming, read until the ledger has
    /// not moved in between: a deposit credited during the reading would otherwise count twice
    /// (uncredited, then credited) or not at all.
    func ledgerSide(_ assets: [ChainAsset], chain: String, facts: ChainReconFacts) async throws -> [CustodyBalance] {
        for _ in 0..<5 {
            let before = try await custody(assets)
            let uncredited = try await facts.uncredited(chain: chain)
            let after = try await custody(assets)
            guard before.map(\.raw) == after.map(\.raw) else { continue }
            return try zip(assets, after).map { asset, balance throws(ServiceError) in
                var full = balance
                guard let amount = Int128(exactly: uncredited[asset.token] ?? 0) else {
                    throw ServiceError(.rejected, "amount-too-large", "deposits confirming on \(chain) are above 2^127-1 units")
                }
                full.uncredited = amount
                return full
            }
        }
        throw ServiceError(.unavailable, "ledger-busy", "the custody accounts kept moving while they were read; try again")
    }

    func custody(_ assets: [ChainAsset]) async throws -> [CustodyBalance] {
        var out: [CustodyBalance] = []
        for asset in assets {
            guard let account = try await ledger.account(try LedgerID(validating: asset.account, field: "custody account")) else {
                out.append(CustodyBalance())
                continue
            }
            let b = account.balances
            guard let dp = Int128(exactly: b.debitsPosted), let cp = Int128(exactly: b.creditsPosted), let dq = Int128(exactly: b.debitsPending),
                  let cq = Int128(exactly: b.creditsPending) else {
                throw ServiceError(.rejected, "amount-too-large", "custody account \(asset.account) holds more than 2^127-1 units; it cannot be reconciled")
            }
            out.append(CustodyBalance(ledger: dp - cp, pending: dq - cq, uncredited: 0, raw: b))
        }
        return out
    }
}
