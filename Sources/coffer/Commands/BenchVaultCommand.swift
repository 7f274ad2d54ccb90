import ArgumentParser
import CSecp256k1
import Crypto
import Foundation
import Vault
import WalletCore

extension BenchCommand {
    struct VaultBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vault",
            abstract: "Signatures per second through the vault's signer vs the bare libraries; Argon2id unlock; policy evaluation.")

        @Option(help: "Signatures per measurement.") var count: Int = 20_000
        @Option(help: "Repetitions per measurement; the median is reported.") var runs: Int = 5

        func run() async throws {
            guard count > 0, runs > 0 else { throw UsageError("--count and --runs must be positive") }
            let report = BenchReport(runs: runs)
            report.line("coffer bench vault: \(count) operations per run, median of \(runs) runs, 1 core")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-\(getpid())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let database = try CofferDatabaseFactory.open(directory.path)
            let vault = Vault(store: VaultStore(database: database), actor: "bench")
            let passphrase = SecretBytes(Array("benchmark passphrase".utf8))
            try await vault.initialize(passphrase: passphrase, parameters: .default)
            let unlocked = try await vault.unlock(passphrase: passphrase)
            _ = try await unlocked.addWallet(name: "k", secret: .privateKey(SecretBytes([UInt8](repeating: 7, count: 32)), curve: .secp256k1), origin: "bench")
            _ = try await unlocked.addWallet(name: "e", secret: .privateKey(SecretBytes([UInt8](repeating: 9, count: 32)), curve: .ed25519), origin: "bench")
            let ecdsa = try await unlocked.signer(for: "k", curve: .secp256k1, path: nil)
            let ed25519 = try await unlocked.signer(for: "e", curve: .ed25519, path: nil)
            let digests = (0..<256).map { Array(SHA256.hash(data: [UInt8(truncatingIfNeeded: $0)])) }

            try report.compare(
                "ECDSA via the vault's WalletSigner", floorName: "libsecp256k1 ecdsa_sign_recoverable", unit: "sig/s",
                floor: { BareSigning.ecdsaRate(count: count, digests: digests) },
                ours: {
                    let started = DispatchTime.now()
                    for i in 0..<count { _ = try ecdsa.signDigest(digests[i & 255]) }
                    return Double(count) / seconds(since: started)
                })
            let edKey = try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 9, count: 32))
            try report.compare(
                "Ed25519 via the vault's WalletSigner", floorName: "swift-crypto Ed25519", unit: "sig/s",
                floor: {
                    let started = DispatchTime.now()
                    for i in 0..<count { _ = try edKey.signature(for: digests[i & 255]) }
                    return Double(count) / seconds(since: started)
                },
                ours: {
                    let started = DispatchTime.now()
                    for i in 0..<count { _ = try ed25519.signEd25519(digests[i & 255]) }
                    return Double(count) / seconds(since: started)
                })
            let meta = try await vault.store.meta()
            let unlockSeconds = try report.measure("Argon2id unlock (m=64 MiB, t=3, p=1)", unit: "ms") {
                let started = DispatchTime.now()
                _ = try Argon2id.deriveKey(passphrase: passphrase, salt: meta?.salt ?? [], parameters: meta?.parameters ?? .default)
                return seconds(since: started) * 1000
            }
            _ = unlockSeconds
            let (policy, intent) = Self.policyFixture()
            _ = report.measure("policy evaluation (1,000 allow-list entries, 10 rules)", unit: "eval/s") {
                let context = PolicyContext(now: 1_795_521_600, spent: { _, _ in 1_000 }, approvers: ["a", "b"])
                var allowed = 0
                let started = DispatchTime.now()
                for _ in 0..<(count * 10) {
                    if PolicyEvaluator.evaluate(policy, intent: intent, walletReferences: ["hot"], context: context).outcome == .allowed { allowed += 1 }
                }
                precondition(allowed == count * 10)
                return Double(count * 10) / seconds(since: started)
            }
            report.line("targets: vault signer >= 0.9 of each floor; policy >= 100,000 eval/s")
        }

        static func policyFixture() -> (SigningPolicy, SigningIntent) {
            let addresses = (0..<1_000).map { i in "0x" + String(repeating: "0", count: 36) + String(format: "%04x", i) }
            let rules: [PolicyRule] = [
                PolicyRule(name: "deny", kind: .denyDestinations(["0x" + String(repeating: "6", count: 40)])),
                PolicyRule(name: "allow", kind: .allowDestinations(Set(addresses))),
                PolicyRule(name: "hours", kind: .timeWindow(fromHour: 0, toHour: 24, weekdays: [1, 2, 3, 4, 5, 6, 7])),
                PolicyRule(name: "cap-eth", kind: .maxPerTransaction(asset: "ETH", amount: 1_000_000)),
                PolicyRule(name: "cap-usdt", kind: .maxPerTransaction(asset: "USDT", amount: 1_000_000)),
                PolicyRule(name: "day", kind: .rollingLimit(asset: "ETH", window: .day, amount: 5_000_000)),
                PolicyRule(name: "week", kind: .rollingLimit(asset: "ETH", window: .week, amount: 20_000_000)),
                PolicyRule(name: "month", kind: .rollingLimit(asset: "ETH", window: .month, amount: 50_000_000)),
                PolicyRule(name: "big", kind: .approvals(asset: "ETH", above: 500_000, required: 2, approvers: ["a", "b", "c"])),
                PolicyRule(name: "cold-only", kind: .maxPerTransaction(asset: "ETH", amount: 1), wallets: ["cold"]),
            ]
            let intent = SigningIntent(chain: "ethereum", wallet: "hot", destination: addresses[777], asset: "ETH", amount: 600_000, fee: 21_000)
            return (SigningPolicy(rules: rules), intent)
        }
    }
}

/// The bare ECDSA loop the vault signer is compared with.
enum BareSigning {
    static func ecdsaRate(count: Int, digests: [[UInt8]]) -> Double {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return 0 }
        defer { secp256k1_context_destroy(context) }
        let key = [UInt8](repeating: 7, count: 32)
        var signature = secp256k1_ecdsa_recoverable_signature()
        var output = [UInt8](repeating: 0, count: 64)
        var recovery: Int32 = 0
        let started = DispatchTime.now()
        for i in 0..<count {
            _ = secp256k1_ecdsa_sign_recoverable(context, &signature, digests[i & 255], key, nil, nil)
            _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &output, &recovery, &signature)
        }
        return Double(count) / seconds(since: started)
    }
}

import CofferCore
import CofferStorage

enum CofferDatabaseFactory {
    static func open(_ path: String) throws -> CofferDatabase {
        try CofferDatabase(directory: DataDirectory(explicit: path), migrations: CofferStores.sqliteMigrations)
    }
}
