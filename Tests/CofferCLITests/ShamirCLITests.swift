import Foundation
import Testing

/// `coffer shamir split` and `coffer shamir recover`, run as the real binary.
struct ShamirCLITests {
    static let secret = "bb54aac4b89dc868ba37d9cc21b2cece"
    static let secret32 = "989baf9dcaad5b10ca33dfd8cc75e42477025dce88ae83e75a230086a0e00e92"

    /// SLIP-39 vector 4 ("Basic sharing 2-of-3 (128 bits)"), passphrase "TREZOR".
    static let vectorShares = [
        "shadow pistol academic always adequate wildlife fancy gross oasis cylinder mustang wrist rescue view short owner flip making coding armed",
        "shadow pistol academic acid actress prayer class unknown daughter sweater depict flip twice unkind craft early superior advocate guest smoking",
    ]
    static let vectorSecret = "b43ceb7e57a0ea8766221624d01b0864"

    func split(_ options: [String], secret: String = secret, passphraseFile: String? = nil) throws -> [String] {
        var arguments = ["shamir", "split"] + options
        if let passphraseFile { arguments += ["--passphrase-file", passphraseFile] }
        let result = try CofferProcess.run(arguments, stdin: secret + "\n")
        #expect(result.status == 0, "\(options): \(result.stderr)")
        #expect(result.stderr.isEmpty)
        return result.stdoutLines.map(String.init)
    }

    func recover(_ mnemonics: [String], passphraseFile: String? = nil) throws -> CofferProcess.Result {
        var arguments = ["shamir", "recover"]
        if let passphraseFile { arguments += ["--passphrase-file", passphraseFile] }
        return try CofferProcess.run(arguments, stdin: mnemonics.joined(separator: "\n") + "\n")
    }

    @Test func singleGroupRoundTrip() throws {
        let shares = try split(["--threshold", "2", "--shares", "3"])
        #expect(shares.count == 3)
        #expect(shares.allSatisfy { $0.split(separator: " ").count == 20 })
        #expect(Set(shares.map { $0.split(separator: " ").prefix(2) }).count == 1)
        for pair in [[0, 1], [0, 2], [2, 1], [1, 2, 0]] {
            let result = try recover(pair.map { shares[$0] })
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == Self.secret + "\n")
        }
        // A fresh split of the same secret gets another identifier and other shares.
        #expect(try split(["--threshold", "2", "--shares", "3"]) != shares)
    }

    @Test func multiGroupRoundTripInGroupOrder() throws {
        let lines = try split(["--groups", "2of3,3of5", "--group-threshold", "2", "--iteration-exponent", "0"],
                              secret: "0x" + Self.secret32.uppercased())
        #expect(lines.count == 8)
        #expect(lines.allSatisfy { $0.split(separator: " ").count == 33 })
        let prefixes = lines.map { $0.split(separator: " ").prefix(3).joined(separator: " ") }
        #expect(Set(prefixes[0..<3]).count == 1 && Set(prefixes[3..<8]).count == 1 && prefixes[0] != prefixes[3])
        // Any order, blank lines and a repeated share are fine.
        let mixed = ["", lines[6], lines[1], "   ", lines[3], lines[2], lines[6], lines[7], ""]
        let result = try recover(mixed)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.secret32 + "\n")
        try CofferProcess.expectRejected(["shamir", "recover"], stdin: lines[0..<3].joined(separator: "\n"),
                                         status: 1, mentioning: ["need 2 groups, got 1"])
        try CofferProcess.expectRejected(["shamir", "recover"], stdin: [lines[0], lines[1], lines[3], lines[4]].joined(separator: "\n"),
                                         status: 1, mentioning: ["group 2 needs 3 shares, got 2"])
    }

    @Test func passphraseAndFlags() throws {
        let file = try temporaryFile("correct horse ~ staple\n")
        let shares = try split(["--threshold", "3", "--shares", "5", "--no-extendable", "--iteration-exponent", "2"],
                               passphraseFile: file)
        let result = try recover([shares[4], shares[0], shares[2]], passphraseFile: file)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.secret + "\n")
        // No passphrase: another secret, no error (SLIP-39 cannot tell).
        let other = try recover([shares[4], shares[0], shares[2]])
        #expect(other.status == 0 && other.stdout != result.stdout && other.stdout.count == 33)
        #expect(!result.stderr.contains("horse") && !result.stdout.contains("horse"))
    }

    @Test func publishedVector() throws {
        let file = try temporaryFile("TREZOR\n")
        let result = try recover(Self.vectorShares, passphraseFile: file)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.vectorSecret + "\n")
    }

    @Test func splitRejectionsSayWhy() throws {
        let split = ["shamir", "split"]
        let secret = Self.secret
        try CofferProcess.expectRejected(split + ["--threshold", "2", "--shares", "3", "--groups", "2of3"],
                                         stdin: secret, status: 2, mentioning: ["mutually exclusive"])
        try CofferProcess.expectRejected(split + ["--threshold", "2"], stdin: secret, status: 2, mentioning: ["--shares"])
        try CofferProcess.expectRejected(split, stdin: secret, status: 2, mentioning: ["--threshold"])
        try CofferProcess.expectRejected(split + ["--threshold", "2", "--shares", "3", "--group-threshold", "1"],
                                         stdin: secret, status: 2, mentioning: ["--groups"])
        try CofferProcess.expectRejected(split + ["--groups", "2x3"], stdin: secret, status: 2, mentioning: ["2x3", "TofN"])
        try CofferProcess.expectRejected(split + ["--groups", "2of3,"], stdin: secret, status: 2, mentioning: ["TofN"])
        try CofferProcess.expectRejected(split + ["--groups", "2of3,3of5"], stdin: secret, status: 2, mentioning: ["--group-threshold"])
        try CofferProcess.expectRejected(split + ["--groups", "2of3,3of5", "--group-threshold", "3"],
                                         stdin: secret, status: 2, mentioning: ["group threshold", "3"])
        try CofferProcess.expectRejected(split + ["--threshold", "4", "--shares", "3"], stdin: secret, status: 2, mentioning: ["4-of-3"])
        try CofferProcess.expectRejected(split + ["--threshold", "2", "--shares", "17"], stdin: secret, status: 2, mentioning: ["17"])
        try CofferProcess.expectRejected(split + ["--threshold", "0", "--shares", "3"], stdin: secret, status: 2)
        try CofferProcess.expectRejected(split + ["--threshold", "1", "--shares", "3"], stdin: secret, status: 2, mentioning: ["1-of-3", "1-of-1"])
        try CofferProcess.expectRejected(split + ["--threshold", "2", "--shares", "3", "--iteration-exponent", "16"],
                                         stdin: secret, status: 2, mentioning: ["iteration exponent"])
        try CofferProcess.expectRejected(split + ["--threshold", "two", "--shares", "3"], stdin: secret, status: 2)

        let ok = split + ["--threshold", "2", "--shares", "3"]
        try CofferProcess.expectRejected(ok, stdin: "", status: 1, mentioning: ["no master secret"])
        try CofferProcess.expectRejected(ok, stdin: "00112233445566778899aabbccddeeff00", status: 1, mentioning: ["17"])
        try CofferProcess.expectRejected(ok, stdin: String(Self.secret.dropLast(2)), status: 1, mentioning: ["15"])
        try CofferProcess.expectRejected(ok, stdin: "xyz" + Self.secret, status: 1, mentioning: ["hex"])
        try CofferProcess.expectRejected(ok, stdin: Self.secret + "0", status: 1, mentioning: ["odd"])
        try CofferProcess.expectRejected(ok + ["--passphrase-file", "/nonexistent/pass"], stdin: secret,
                                         status: 1, mentioning: ["/nonexistent/pass"])
        let accented = try temporaryFile("café\n")
        try CofferProcess.expectRejected(ok + ["--passphrase-file", accented], stdin: secret,
                                         status: 1, mentioning: ["printable ASCII", "character 4"])
        let noSecretEchoed = try CofferProcess.run(ok, stdin: "zz" + Self.secret)
        #expect(!noSecretEchoed.stderr.contains(Self.secret.prefix(8)))
    }

    @Test func recoverRejectionsNameTheMnemonicNotItsWords() throws {
        let recover = ["shamir", "recover"]
        let shares = Self.vectorShares
        var misspelled = shares[1].split(separator: " ").map(String.init)
        misspelled[2] = "academy"
        var swapped = shares[1].split(separator: " ").map(String.init)
        swapped.swapAt(5, 6)
        let otherSet = try split(["--threshold", "2", "--shares", "2", "--iteration-exponent", "0"])

        let cases: [(stdin: String, mentioning: [String])] = [
            ("", ["no SLIP-39 mnemonics"]),
            ("\n  \n", ["no SLIP-39 mnemonics"]),
            (shares[0], ["group 1 needs 2 shares, got 1"]),
            (shares[0] + "\n" + misspelled.joined(separator: " "), ["mnemonic 2", "word 3", "word list"]),
            (shares[0] + "\n\n" + swapped.joined(separator: " "), ["mnemonic 2", "checksum"]),
            (shares[0] + "\n" + shares[0].split(separator: " ").dropLast().joined(separator: " "), ["mnemonic 2", "19 words"]),
            (shares[0] + "\n" + otherSet[0], ["mnemonic 2", "different backup"]),
        ]
        for (stdin, words) in cases {
            try CofferProcess.expectRejected(recover, stdin: stdin, status: 1, mentioning: words)
            let result = try CofferProcess.run(recover, stdin: stdin)
            for word in ["shadow", "pistol", "academic", "academy", "wildlife", "prayer"] {
                #expect(!result.stderr.contains(word), "\(result.stderr) repeats a word")
            }
        }
        let accented = try temporaryFile("pässword")
        try CofferProcess.expectRejected(recover + ["--passphrase-file", accented], stdin: shares.joined(separator: "\n"),
                                         status: 1, mentioning: ["printable ASCII"])
    }
}
