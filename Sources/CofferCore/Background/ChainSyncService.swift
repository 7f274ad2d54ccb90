public import Chains
import CofferBase
import Foundation
public import Logging
public import ServiceLifecycle

/// Follows every configured chain while `coffer serve` runs: one loop per chain, each taking
/// the chain's lease so that several servers on one database take turns rather than race.
/// Chains added while it runs are picked up within `refresh`. A loop applies blocks back to back
/// while behind, polls every `poll` at the tip, and backs off (doubling up to a minute) after a
/// failure: a node that is down or answers garbage is logged and retried, never credited from.
/// On graceful shutdown each loop finishes the step it is in (a step is one transaction) and
/// gives its lease up.
public struct ChainSyncService: Service {
    let chains: ChainService
    let logger: Logger
    let poll: Duration
    let refresh: Duration
    let owner: String

    public init(chains: ChainService, logger: Logger, poll: Duration = .seconds(2), refresh: Duration = .seconds(10)) {
        self.chains = chains
        self.logger = logger
        self.poll = poll
        self.refresh = refresh
        owner = "serve-\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                var running: Set<String> = []
                while !Task.isCancelled {
                    do {
                        for chain in try await chains.store.chains(scope: nil) where !running.contains(chain.name) {
                            running.insert(chain.name)
                            group.addTask { await follow(chain) }
                        }
                    } catch {
                        logger.warning("listing chains failed; retrying", metadata: ["error": "\(String(describing: error).prefix(200))"])
                    }
                    try? await Task.sleep(for: refresh)
                }
                group.cancelAll()
            }
        }
        logger.debug("chain sync stopped")
    }

    /// One chain's loop, until cancelled.
    func follow(_ chain: ChainConfig) async {
        let metadata: Logger.Metadata = ["chain": "\(chain.name)", "network": "\(chain.network)"]
        let syncer: ChainSyncer
        do {
            syncer = try chains.syncer(chain, owner: owner)
        } catch {
            logger.error("cannot follow chain", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return
        }
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                let step = try await syncer.step()
                backoff = .seconds(1)
                switch step.kind {
                case .connected, .rewound:
                    if step.credited > 0 || step.reversed > 0 || step.orphaned > 0 || !step.refused.isEmpty || step.kind == .rewound {
                        logger.info(step.kind == .rewound ? "block undone (reorganisation)" : "block applied", metadata: metadata.merging([
                            "height": "\(step.block.map { String($0.height) } ?? "-")", "credited": "\(step.credited)",
                            "reversed": "\(step.reversed)", "orphaned": "\(step.orphaned)",
                        ]) { $1 })
                    }
                    for refusal in step.refused {
                        logger.warning("the ledger refused a deposit's credit; retried at the next block", metadata: metadata.merging(["deposit": "\(refusal)"]) { $1 })
                    }
                    if step.reversed > 0 {
                        logger.critical("credited deposits were reversed by a reorganisation", metadata: metadata.merging(["count": "\(step.reversed)"]) { $1 })
                    }
                case .atTip, .notLeader:
                    try? await Task.sleep(for: poll)
                }
            } catch {
                let retryable = ErrorClassification.isRetryable(error)
                logger.log(level: retryable ? .warning : .error, "chain sync step failed; retrying", metadata: metadata.merging([
                    "error": "\(String(describing: error).prefix(300))", "retry_in": "\(backoff)",
                ]) { $1 })
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(60))
            }
        }
        try? await chains.store.release(chain: chain.name, owner: owner)
    }
}
