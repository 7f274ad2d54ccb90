import CofferBase
import Foundation
public import Logging
import Payouts
public import ServiceLifecycle

/// Runs the payout pipeline while `coffer serve` runs: a pass over every chain with open payouts
/// every `poll`, each chain under its lease so that several servers take turns. A step that fails
/// (a node that is down, a locked vault) is logged and retried on the next pass; on graceful
/// shutdown the pass in progress finishes its step and the loop ends.
public struct PayoutWorkerService: Service {
    let payouts: PayoutService
    let logger: Logger
    let poll: Duration
    let settings: PipelineSettings

    public init(payouts: PayoutService, logger: Logger, poll: Duration = .seconds(2), leaseSeconds: Int64 = 60) {
        self.payouts = payouts
        self.logger = logger
        self.poll = poll
        settings = PipelineSettings(owner: "serve-\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))",
                                    leaseSeconds: leaseSeconds)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            let caller = try? Caller.commandLine()
            while !Task.isCancelled {
                do {
                    guard let caller else { return }
                    for pass in try await payouts.pass(settings: settings, by: caller) {
                        let moved = pass.batched + pass.signed + pass.broadcast + pass.settled + pass.rejected + pass.compensated + pass.replaced
                        if moved > 0 {
                            logger.info("payouts advanced", metadata: [
                                "chain": "\(pass.chain)", "batched": "\(pass.batched)", "signed": "\(pass.signed)", "broadcast": "\(pass.broadcast)",
                                "settled": "\(pass.settled)", "rejected": "\(pass.rejected)", "compensated": "\(pass.compensated)", "replaced": "\(pass.replaced)",
                            ])
                        }
                        for error in pass.errors {
                            logger.warning("payout step failed; retried on the next pass", metadata: ["chain": "\(pass.chain)", "error": "\(error.prefix(300))"])
                        }
                    }
                } catch {
                    logger.warning("payout pass failed; retrying", metadata: ["error": "\(String(describing: error).prefix(300))"])
                }
                try? await Task.sleep(for: poll)
            }
        }
        logger.debug("payout worker stopped")
    }
}
