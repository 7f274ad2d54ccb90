import ArgumentParser
import Foundation
import WalletCore

struct ShamirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shamir",
        abstract: "Split a master secret into SLIP-39 Shamir share mnemonics, and recover it from them.",
        subcommands: [Split.self, Recover.self]
    )

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split the master secret (hex on stdin) into SLIP-39 mnemonics, one per line.",
            discussion: """
                The master secret is 16 to 64 bytes of even length (32 to 128 hex digits, optional 0x), e.g. \
                a wallet's BIP32 seed. It is encrypted with the passphrase before splitting; recovering \
                needs the same passphrase (another one silently gives another secret).

                One group: --threshold T --shares N prints N mnemonics, any T of which recover the secret.

                Several groups: --groups "2of3,3of5" --group-threshold 2 makes one group per item (here a \
                2-of-3 and a 3-of-5 group); recovery needs --group-threshold groups, each with its threshold \
                of shares. The output is still one mnemonic per line, with no blank lines: the mnemonics of \
                group 1 first, then those of group 2, and so on in the order given. All mnemonics of one \
                group start with the same three words, and all of one backup with the same two.
                """
        )

        @OptionGroup var scheme: ShamirSchemeOptions

        @Option(help: "File holding the passphrase, printable ASCII (one trailing newline is dropped).")
        var passphraseFile: String?

        func run() throws {
            let passphrase = try SecretInput.passphrase(file: passphraseFile)
            let secret = try SecretInput.hexSecret(example: "coffer shamir split --threshold 2 --shares 3 < secret.hex")
            try Terminal.print(try scheme.split(secret, passphrase: passphrase).joined(separator: "\n"))
        }
    }

    struct Recover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recover the master secret from SLIP-39 mnemonics on stdin; print it as hex.",
            discussion: """
                Give one mnemonic per line, in any order (blank lines are ignored, a repeated mnemonic \
                counts once): enough groups, each with enough shares. Errors call the N-th non-blank line \
                "mnemonic N" and never repeat its words.
                """
        )

        @Option(help: "File holding the passphrase used when splitting (one trailing newline is dropped).")
        var passphraseFile: String?

        func run() throws {
            let passphrase = try SecretInput.passphrase(file: passphraseFile)
            let mnemonics = try SecretInput.lines(
                what: "SLIP-39 mnemonics", example: "coffer shamir recover < shares.txt")
            let secret = try SLIP39.recover(mnemonics: mnemonics, passphrase: passphrase)
            try Terminal.print(secret.withUnsafeBytes { Hex.encode($0) })
        }
    }
}

/// The share scheme of a SLIP-39 split: one group (--threshold/--shares) or several (--groups).
struct ShamirSchemeOptions: ParsableArguments {
    @Option(help: "Single group: shares needed to recover (with --shares).")
    var threshold: Int?

    @Option(help: "Single group: shares to make, 1 to 16 (with --threshold).")
    var shares: Int?

    @Option(help: "Groups as comma-separated TofN items, e.g. \"2of3,3of5\" (instead of --threshold/--shares).")
    var groups: String?

    @Option(help: "With --groups: how many groups are needed to recover (required for more than one group).")
    var groupThreshold: Int?

    @Option(help: "PBKDF2 cost: 10000 << E iterations at every recovery, E = 0...15.")
    var iterationExponent: Int = 1

    @Flag(inversion: .prefixedNo,
          help: "Extendable backup (default): more share sets of the same secret can be made later.")
    var extendable = true

    /// The group threshold and groups the options ask for.
    func scheme() throws -> (groupThreshold: Int, groups: [SLIP39GroupSpec]) {
        if let groups {
            guard threshold == nil && shares == nil else {
                throw ValidationError("--threshold/--shares and --groups are mutually exclusive")
            }
            let specs = try Self.parseGroups(groups)
            guard let groupThreshold else {
                guard specs.count == 1 else {
                    throw ValidationError("--group-threshold is required with more than one group")
                }
                return (1, specs)
            }
            return (groupThreshold, specs)
        }
        guard groupThreshold == nil else {
            throw ValidationError("--group-threshold needs --groups")
        }
        guard let threshold, let shares else {
            throw ValidationError("give --threshold T --shares N, or --groups \"TofN,...\" --group-threshold G")
        }
        return (1, [SLIP39GroupSpec(memberThreshold: threshold, memberCount: shares)])
    }

    /// "2of3,3of5" -> [2-of-3, 3-of-5]; spaces around items are ignored, "of" in any case.
    static func parseGroups(_ text: String) throws -> [SLIP39GroupSpec] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
            let parts = item.trimmingCharacters(in: .whitespaces).lowercased()
                .split(separator: "of", omittingEmptySubsequences: false)
            guard parts.count == 2, let threshold = Int(parts[0]), let count = Int(parts[1]) else {
                throw ValidationError(
                    "--groups: \"\(item.prefix(20))\" is not of the form TofN; write e.g. --groups \"2of3,3of5\"")
            }
            return SLIP39GroupSpec(memberThreshold: threshold, memberCount: count)
        }
    }

    func validate() throws {
        _ = try scheme()
    }

    /// Splits `secret`; the mnemonics of all groups, in group order.
    func split(_ secret: SecretBytes, passphrase: String) throws -> [String] {
        let (groupThreshold, groups) = try scheme()
        do {
            return try SLIP39.split(
                masterSecret: secret, groupThreshold: groupThreshold, groups: groups, passphrase: passphrase,
                extendable: extendable, iterationExponent: iterationExponent
            ).flatMap { $0 }
        } catch where error.isInvalidSplitParameter {
            throw UsageError(error.description)
        }
    }
}
