import CofferStorage
import Wallets
import Tenancy
import CofferCore
import CofferBase
import CofferServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WalletCore

/// Address batches: the right addresses, never the same index twice, found again by address.
struct AddressRoutesTests {
    @Test(arguments: ServerBackend.all)
    func batchesFollowWalletCoreAndContinueWhereTheLastOneStopped(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let id = try await server.importKnownWallet()
            let first = try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.writerA,
                                              body: #"{"chain":"bitcoin","count":3,"label":"deposits","owner_id":"customer-1","purpose":"deposit"}"#)
            #expect(first.status == 201)
            let deriver = try AddressDeriver(seed: SecretBytes(try Mnemonic(phrase: Known.mnemonic).seed()), format: .bitcoin(.p2wpkh, .mainnet))
            #expect(first.data.prefix(2).map { $0["address"] as? String } == Known.bip84)
            #expect(first.data.map { $0["address"] as? String } == (try deriver.derive(range: 0..<3)).map(\.address))
            #expect(first.data.map { $0["path"] as? String } == ["m/84'/0'/0'/0/0", "m/84'/0'/0'/0/1", "m/84'/0'/0'/0/2"])
            #expect(first.data.allSatisfy { $0["owner_id"] as? String == "customer-1" && $0["label"] as? String == "deposits" })

            let second = try await client.call(.post, "/v1/wallets/cold/addresses", key: server.writerA, body: #"{"chain":"bitcoin","count":2,"owner_id":"customer-2"}"#)
            #expect(second.data.map { $0["address"] as? String } == (try deriver.derive(range: 3..<5)).map(\.address))
            #expect(second.data.map { $0["index"] as? Int } == [3, 4])

            // Each chain (and Bitcoin scheme) has its own counter.
            let ethereum = try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.writerA, body: #"{"chain":"ethereum","count":1}"#)
            #expect(ethereum.data.first?["address"] as? String == "0x9858EfFD232B4033E47d90003D41EC34EcaEda94")
            #expect(ethereum.data.first?["index"] as? Int == 0)
            let taproot = try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.writerA, body: #"{"chain":"bitcoin","scheme":"p2tr","count":1}"#)
            #expect(taproot.data.first?["address"] as? String == "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr")

            let found = try await client.call(.get, "/v1/addresses/\(Known.bip84[1].uppercased())", key: server.readerA)
            #expect(found.status == 200)
            #expect(found.json["wallet"] as? String == id && found.json["wallet_name"] as? String == "cold")
            #expect(found.json["path"] as? String == "m/84'/0'/0'/0/1" && found.json["owner_id"] as? String == "customer-1")
            let foundEthereum = try await client.call(.get, "/v1/addresses/0x9858effd232b4033e47d90003d41ec34ecaeda94", key: server.readerA)
            #expect(foundEthereum.json["path"] as? String == "m/44'/60'/0'/0/0")

            #expect(try await client.call(.get, "/v1/addresses?owner_id=customer-1", key: server.readerA).data.count == 3)
            #expect(try await client.call(.get, "/v1/addresses?chain=ethereum", key: server.readerA).data.count == 1)
            #expect(try await client.call(.get, "/v1/addresses?wallet=cold&purpose=deposit", key: server.readerA).data.count == 3)
            let page = try await client.call(.get, "/v1/addresses?chain=bitcoin&limit=4", key: server.readerA)
            let cursor = try #require(page.json["next_cursor"] as? String)
            let rest = try await client.call(.get, "/v1/addresses?chain=bitcoin&limit=4&cursor=\(cursor)", key: server.readerA)
            #expect(page.data.count == 4 && rest.data.count == 2)
            #expect(Set((page.data + rest.data).compactMap { $0["address"] as? String }).count == 6)
        }
    }

    /// Any registry network: its own counter, except where its addresses are another network's
    /// strings (signet's are testnet's; every EVM network's are Ethereum's).
    @Test(arguments: ServerBackend.all)
    func registryNetworksAndTheirCounters(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let id = try await server.importKnownWallet()
            func allocate(_ body: String) async throws -> VaultReply {
                let reply = try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.writerA, body: body)
                #expect(reply.status == 201, "\(body): \(reply.text)")
                return reply
            }
            let regtest = try await allocate(#"{"chain":"bitcoin","count":2,"network":"litecoin-regtest"}"#)
            #expect(regtest.json["format"] as? String == "bitcoin:p2wpkh:litecoin-regtest")
            #expect(regtest.data.map { $0["address"] as? String } == LitecoinNetworks.regtest)
            #expect(regtest.data.map { $0["path"] as? String } == ["m/84'/1'/0'/0/0", "m/84'/1'/0'/0/1"])
            let mainnet = try await allocate(#"{"chain":"bitcoin","count":1,"scheme":"p2sh-p2wpkh","network":"LITECOIN-MAINNET"}"#)
            #expect(mainnet.json["format"] as? String == "bitcoin:p2sh-p2wpkh:litecoin-mainnet")
            #expect(mainnet.data.first?["address"] as? String == "M7wtsL7wSHDBJVMWWhtQfTMSYYkyooAAXM")
            let testnet = try await allocate(#"{"chain":"bitcoin","count":1,"network":"testnet"}"#)
            let signet = try await allocate(#"{"chain":"bitcoin","count":1,"network":"bitcoin-signet"}"#)
            #expect(testnet.json["format"] as? String == "bitcoin:p2wpkh:testnet" && signet.json["format"] as? String == "bitcoin:p2wpkh:testnet")
            #expect(testnet.data.first?["address"] as? String == "tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl")
            #expect(signet.data.first?["index"] as? Int == 1 && signet.data.first?["address"] as? String == "tb1qd7spv5q28348xl4myc8zmh983w5jx32cjhkn97")
            let ethereum = try await allocate(#"{"chain":"ethereum","count":1,"network":"ethereum"}"#)
            let polygon = try await allocate(#"{"chain":"ethereum","count":1,"network":"evm:137"}"#)
            let mainnetName = try await allocate(#"{"chain":"ethereum","count":1,"network":"mainnet"}"#)
            #expect([ethereum, polygon, mainnetName].map { $0.json["format"] as? String } == ["ethereum", "ethereum", "ethereum"])
            #expect([ethereum, polygon, mainnetName].map { $0.data.first?["index"] as? Int } == [0, 1, 2])
            // Bech32 addresses of any registry HRP are found in either case.
            let found = try await client.call(.get, "/v1/addresses/\(LitecoinNetworks.regtest[1].uppercased())", key: server.readerA)
            #expect(found.status == 200 && found.json["format"] as? String == "bitcoin:p2wpkh:litecoin-regtest", "\(found.text)")
            for body in [#"{"chain":"bitcoin","count":1,"network":"polygon"}"#, #"{"chain":"ethereum","count":1,"network":"litecoin-mainnet"}"#,
                         #"{"chain":"ethereum","count":1,"network":"testnet"}"#, #"{"chain":"bitcoin","count":1,"network":"dogecoin"}"#,
                         #"{"chain":"ethereum","count":1,"network":"evm:0"}"#, #"{"chain":"polygon","count":1}"#] {
                let reply = try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.writerA, body: body)
                #expect(reply.status == 400 && reply.problemType == "urn:coffer:problem:invalid-request", "\(body): \(reply.text)")
            }
        }
    }

    @Test(arguments: ServerBackend.all)
    func concurrentRequestsNeverShareAnIndex(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let wallet = try await client.call(.post, "/v1/wallets", key: server.adminA, body: #"{"name":"busy"}"#)
            let id = try #require(wallet.json["id"] as? String)
            let replies = try await withThrowingTaskGroup(of: VaultReply.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.writerA, body: #"{"chain":"ethereum","count":25}"#) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 201 })
            let indexes = replies.flatMap { $0.data.compactMap { $0["index"] as? Int } }
            #expect(indexes.sorted() == Array(0..<200))
            #expect(Set(replies.flatMap { $0.data.compactMap { $0["address"] as? String } }).count == 200)
            #expect(try await server.count("server_addresses") == 200)
        }
    }

    @Test(arguments: ServerBackend.all)
    func badAddressRequestsAreProblemsAndConsumeNoIndex(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let client = server.api
            let id = try await server.importKnownWallet()
            let key = try await client.call(.post, "/v1/wallets", key: server.adminA,
                                            body: #"{"name":"hot","source":"private-key","curve":"secp256k1","private_key":"\#(Known.privateKey)"}"#)
            let bodies: [(String, Int)] = [
                (#"{"chain":"bitcoin","count":0}"#, 400), (#"{"chain":"bitcoin","count":1001}"#, 400), (#"{"chain":"bitcoin","count":"5"}"#, 400),
                (#"{"chain":"bitcoin","count":1.5}"#, 400), (#"{"chain":"dogecoin","count":1}"#, 400), (#"{"count":1}"#, 400),
                (#"{"chain":"ethereum","count":1,"scheme":"p2tr"}"#, 400), (#"{"chain":"bitcoin","count":1,"label":""}"#, 400),
                (#"{"chain":"bitcoin","count":1,"owner":"x"}"#, 400), (#"[1]"#, 400),
            ]
            for (body, status) in bodies {
                let reply = try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.writerA, body: body)
                #expect(reply.status == status, "\(body): \(reply.text)")
                #expect(reply.problemType == "urn:coffer:problem:invalid-request")
            }
            let keyID = try #require(key.json["id"] as? String)
            #expect(try await client.call(.post, "/v1/wallets/\(keyID)/addresses", key: server.writerA, body: #"{"chain":"ethereum","count":1}"#).status == 422)
            #expect(try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.readerA, body: #"{"chain":"ethereum","count":1}"#).status == 403)
            #expect(try await client.call(.post, "/v1/wallets/missing/addresses", key: server.writerA, body: #"{"chain":"ethereum","count":1}"#).status == 404)
            #expect(try await client.call(.get, "/v1/addresses?chain=doge", key: server.readerA).status == 400)
            #expect(try await client.call(.get, "/v1/addresses?colour=red", key: server.readerA).status == 400)
            #expect(try await client.call(.get, "/v1/addresses/bc1qnotours", key: server.readerA).status == 404)
            #expect(try await server.count("server_addresses") == 0)
            #expect(try await server.count("server_address_counters") == 0)
            // The first index is still 0 after all of that.
            let first = try await client.call(.post, "/v1/wallets/\(id)/addresses", key: server.writerA, body: #"{"chain":"bitcoin","count":1}"#)
            #expect(first.data.first?["address"] as? String == Known.bip84[0])
        }
    }
}

/// Litecoin regtest's first receiving addresses of the BIP84 vector mnemonic (bip-utils; see LitecoinAddressTests).
enum LitecoinNetworks {
    static let regtest = ["rltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9puuzgkg", "rltc1qd7spv5q28348xl4myc8zmh983w5jx32cwn4h9f"]
}
