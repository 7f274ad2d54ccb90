import Chains
import CofferBase
public import Payouts
import WalletCore
import Wallets

/// Change addresses: fresh receiving addresses of the hot wallet (never handed out before, never
/// reused), in the chain's default scheme. They are not watched as deposits: change is custody's
/// own money coming back, and the pipeline records it when its batch settles.
public struct WalletChangeAddresses: ChangeAddressSource {
    public let chains: ChainService

    public init(chains: ChainService) { self.chains = chains }

    public func next(chain: String, walletID: String) async throws -> ChangeAddress {
        guard let config = try await chains.store.chain(chain) else { throw PayoutError(.notFound, "chain-not-found", "no chain \(chain)") }
        let format = try ChainService.format(config, scheme: nil)
        let addresses = try await chains.wallets.allocate(walletID, format: format, count: 1, purpose: "change", ownerID: nil, by: try Caller.commandLine()) { _, _, _ in }
        guard let address = addresses.first else { throw PayoutError(.internal, "no-change-address", "the hot wallet handed out no change address") }
        return ChangeAddress(address: address.address, path: address.path)
    }
}
