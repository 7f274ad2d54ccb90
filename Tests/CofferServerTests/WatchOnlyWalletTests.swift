import CofferBase
import Foundation
import HTTPTypes
import Testing
import WalletCore

/// Watch-only wallets (POST /v1/wallets with source xpub): deposit addresses are the account key's
/// children 0/i, the same as the mnemonic that made the key derives, on any network of the key's
/// kind; signing and backups are refused.
struct WatchOnlyWalletTests {
    static let seed = { SecretBytes(try! Mnemonic(phrase: Known.mnemonic).seed()) }()

    /// The account key of `format` from the vector mnemonic, as `coffer xpub` prints it.
    static func accountKey(_ format: AddressFormat, version: KeyVersion? = nil) throws -> String {
        try ExtendedPrivateKey(seed: seed).derive(path: format.accountPath(account: 0)).extendedPublicKey.serialized(version: version ?? format.keyVersion)
    }

    static func importBody(_ name: String, _ key: String, scheme: String? = nil) -> String {
        #"{"name":"\#(name)","source":"xpub","xpub":"\#(key)"\#(scheme.map { #","scheme":"\#($0)""# } ?? "")}"#
    }

    @Test(arguments: ServerBackend.all)
    func addressesMatchTheMnemonicAndSigningIsRefused(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let vpub = try Self.accountKey(.bitcoin(.p2wpkh, .testnet))
            #expect(vpub.hasPrefix("vpub"))
            let created = try await client.call(.post, "/v1/wallets", key: server.adminA, body: Self.importBody("watch", vpub))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["kind"] as? String == "watch-only" && created.json["origin"] as? String == "xpub")
            let fingerprint = try ExtendedKey(parsing: vpub).extendedPublicKey.publicKey.fingerprint
            #expect(created.json["summary"] as? String == "vpub:p2wpkh:" + String(format: "%08x", fingerprint))
            #expect(!created.text.contains(vpub))

            // Bitcoin testnet by default, then any test network, each from index 0 of its own counter.
            for (network, count) in [(nil, 3), ("litecoin-regtest", 2), ("bitcoin-regtest", 2), ("litecoin-testnet", 1)] as [(String?, Int)] {
                let body = #"{"chain":"bitcoin","count":\#(count)\#(network.map { #","network":"\#($0)""# } ?? "")}"#
                let reply = try await client.call(.post, "/v1/wallets/watch/addresses", key: server.writerA, body: body)
                #expect(reply.status == 201, "\(body): \(reply.text)")
                let bitcoin = try ChainNetwork.resolve(network ?? "testnet", chain: .bitcoin).bitcoin!
                let expected = try AddressDeriver(seed: Self.seed, format: .bitcoin(.p2wpkh, bitcoin)).derive(range: 0..<UInt32(count))
                #expect(reply.data.map { $0["address"] as? String } == expected.map(\.address), "\(network ?? "default")")
                #expect(reply.data.map { $0["path"] as? String } == (0..<count).map { "xpub/0/\($0)" })
                #expect(reply.json["format"] as? String == "bitcoin:p2wpkh:\(bitcoin.name)")
            }
            let next = try await client.call(.post, "/v1/wallets/watch/addresses", key: server.writerA, body: #"{"chain":"bitcoin","count":1,"scheme":"p2wpkh"}"#)
            #expect(next.data.first?["index"] as? Int == 3)
            #expect(next.data.first?["address"] as? String == (try AddressDeriver(seed: Self.seed, format: .bitcoin(.p2wpkh, .testnet)).derive(index: 3).address))
            let found = try await client.call(.get, "/v1/addresses/\(next.data.first?["address"] as? String ?? "")", key: server.readerA)
            #expect(found.json["wallet_name"] as? String == "watch" && found.json["path"] as? String == "xpub/0/3")

            // What a vpub cannot do.
            for (body, status, code) in [
                (#"{"chain":"bitcoin","count":1,"network":"mainnet"}"#, 400, "invalid-request"),
                (#"{"chain":"bitcoin","count":1,"network":"litecoin-mainnet"}"#, 400, "invalid-request"),
                (#"{"chain":"bitcoin","count":1,"scheme":"p2tr"}"#, 400, "invalid-request"),
                (#"{"chain":"ethereum","count":1}"#, 422, "watch-only-wallet"),
            ] {
                let reply = try await client.call(.post, "/v1/wallets/watch/addresses", key: server.writerA, body: body)
                #expect(reply.status == status && reply.problemType == "urn:coffer:problem:\(code)", "\(body): \(reply.text)")
            }
            let request = SigningRoutesTests.request(id: "w1", wallet: "watch", value: "1")
            let refused = try await client.call(.post, "/v1/signing-requests", key: server.adminA, body: request)
            #expect(refused.status == 422 && refused.problemType == "urn:coffer:problem:watch-only-wallet", "\(refused.text)")
            #expect(try await client.call(.get, "/v1/signing-requests/w1", key: server.adminA).status == 404)
            let backup = try await client.call(.post, "/v1/wallets/watch/backup", key: server.adminA, body: #"{"format":"slip39","threshold":1,"shares":1}"#)
            #expect(backup.status == 422 && backup.problemType == "urn:coffer:problem:watch-only-wallet", "\(backup.text)")
        }
    }

    /// zpub (p2wpkh), ypub (p2sh-p2wpkh; a Litecoin account's, written with Bitcoin's version as
    /// many wallets do) and an xpub with --scheme p2tr or the default p2pkh; Litecoin's own Ltub on
    /// Litecoin by default.
    @Test(arguments: ServerBackend.all)
    func everySchemeOfMainnetKeys(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let cases: [(String, AddressFormat, KeyVersion?, String?, String?)] = [
                ("z", .bitcoin(.p2wpkh, .mainnet), nil, nil, nil),
                ("y", .bitcoin(.p2shP2wpkh, .litecoinMainnet), .ypub, "p2sh-p2wpkh", "litecoin-mainnet"),
                ("taproot", .bitcoin(.p2tr, .mainnet), nil, "p2tr", nil),
                ("legacy", .bitcoin(.p2pkh, .mainnet), nil, nil, nil),
                ("ltub", .bitcoin(.p2pkh, .litecoinMainnet), nil, nil, nil),
            ]
            for (name, derived, version, scheme, network) in cases {
                let key = try Self.accountKey(derived, version: version)
                let created = try await client.call(.post, "/v1/wallets", key: server.adminA, body: Self.importBody(name, key, scheme: scheme))
                #expect(created.status == 201, "\(name): \(created.text)")
                let body = #"{"chain":"bitcoin","count":2\#(network.map { #","network":"\#($0)""# } ?? "")}"#
                let reply = try await client.call(.post, "/v1/wallets/\(name)/addresses", key: server.writerA, body: body)
                let expected = try AddressDeriver(seed: Self.seed, format: derived).derive(range: 0..<2).map(\.address)
                #expect(reply.status == 201 && reply.data.map { $0["address"] as? String } == expected, "\(name): \(reply.text)")
            }
            let zpubAddresses = try await client.call(.get, "/v1/addresses?wallet=z", key: server.readerA)
            #expect(zpubAddresses.data.map { $0["address"] as? String } == Known.bip84)
        }
    }

    @Test(arguments: ServerBackend.all)
    func badImportsAreRefusedAndStoreNothing(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let zpub = try Self.accountKey(.bitcoin(.p2wpkh, .mainnet))
            let zprv = try ExtendedPrivateKey(seed: Self.seed).derive(path: AddressFormat.bitcoin(.p2wpkh, .mainnet).accountPath(account: 0)).serialized(version: .zpub)
            let master = try ExtendedPrivateKey(seed: Self.seed).extendedPublicKey.serialized()
            let bodies: [(String, String)] = [
                (Self.importBody("w", zprv), "invalid-xpub"),
                (Self.importBody("w", zpub, scheme: "p2pkh"), "invalid-xpub"),
                (Self.importBody("w", zpub, scheme: "p2wsh"), "invalid-request"),
                (Self.importBody("w", master), "invalid-xpub"),
                (Self.importBody("w", String(zpub.dropLast()) + "x"), "invalid-xpub"),
                (#"{"name":"w","source":"xpub"}"#, "invalid-request"),
                (#"{"name":"w","source":"xpub","xpub":"\#(zpub)","mnemonic":"abandon"}"#, "invalid-request"),
                (#"{"name":"w","source":"mnemonic","mnemonic":"\#(Known.mnemonic)","scheme":"p2wpkh"}"#, "invalid-request"),
            ]
            for (body, code) in bodies {
                let reply = try await client.call(.post, "/v1/wallets", key: server.adminA, body: body)
                #expect(reply.status == 400 && reply.problemType == "urn:coffer:problem:\(code)", "\(body): \(reply.text)")
                #expect(!reply.text.contains(zprv))
            }
            #expect(try await client.call(.post, "/v1/wallets", key: server.writerA, body: Self.importBody("w", zpub)).status == 403)
            #expect(try await server.count("vault_wallets") == 0)
        }
    }
}
