public import Foundation
public import Logging
public import ServiceLifecycle

/// Scheduled reconciliations (`coffer recon schedule`): every `interval`, the runs that are due
/// are claimed and made. A lifecycle service of `coffer serve`; several servers on one database
/// make each run once.
public struct ReconSchedulerService: Service {
    let recon: ReconService
    let interval: Duration
    let logger: Logger

    public init(recon: ReconService, interval: Duration = .seconds(30), logger: Logger) {
        self.recon = recon
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let (runs, failures) = try await recon.runDue(now: recon.clock())
                    for run in runs {
                        logger.info("scheduled reconciliation", metadata: ["run": "\(run.run)", "source": "\(run.source)", "statement": "\(run.statement)", "exceptions": "\(run.exceptions)"])
                    }
                    for failure in failures { logger.warning("scheduled reconciliation failed", metadata: ["reason": "\(failure)"]) }
                } catch {
                    logger.warning("reading reconciliation schedules failed; retrying later", metadata: ["error": "\(String(describing: error).prefix(200))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        logger.debug("reconciliation scheduler stopped")
    }
}
