/// The four version bytes that open a serialised extended key (BIP32, SLIP-132).
///
/// The version says more than "public or private": SLIP-132 uses it to say which script type
/// the account's addresses use (ypub: p2sh-p2wpkh, zpub: p2wpkh) and which network.
public struct KeyVersion: Sendable, Hashable, CustomStringConvertible {
    public let publicVersion: UInt32
    public let privateVersion: UInt32
    /// The human prefix of the public form, e.g. "zpub".
    public let publicPrefix: String
    public let privatePrefix: String
    public let isTestnet: Bool
    /// The script type SLIP-132 ties to this version; nil for the generic xpub/tpub.
    public let impliedScript: ImpliedScript?
    /// The coin a version is registered for when it is one coin's own (Litecoin's Ltub, Mtub,
    /// ttub); nil for Bitcoin's versions, which other coins' wallets use too.
    public let coin: String?

    public enum ImpliedScript: String, Sendable {
        case p2shP2wpkh = "p2sh-p2wpkh", p2wpkh, p2shP2wsh = "p2sh-p2wsh", p2wsh
    }

    public var description: String { publicPrefix }

    public static let xpub = KeyVersion(0x0488_B21E, 0x0488_ADE4, "xpub", "xprv", testnet: false, nil)
    public static let ypub = KeyVersion(0x049D_7CB2, 0x049D_7878, "ypub", "yprv", testnet: false, .p2shP2wpkh)
    public static let zpub = KeyVersion(0x04B2_4746, 0x04B2_430C, "zpub", "zprv", testnet: false, .p2wpkh)
    public static let capitalYpub = KeyVersion(0x0295_B43F, 0x0295_B005, "Ypub", "Yprv", testnet: false, .p2shP2wsh)
    public static let capitalZpub = KeyVersion(0x02AA_7ED3, 0x02AA_7A99, "Zpub", "Zprv", testnet: false, .p2wsh)
    public static let tpub = KeyVersion(0x0435_87CF, 0x0435_8394, "tpub", "tprv", testnet: true, nil)
    public static let upub = KeyVersion(0x044A_5262, 0x044A_4E28, "upub", "uprv", testnet: true, .p2shP2wpkh)
    public static let vpub = KeyVersion(0x045F_1CF6, 0x045F_18BC, "vpub", "vprv", testnet: true, .p2wpkh)
    public static let capitalUpub = KeyVersion(0x0242_89EF, 0x0242_85B5, "Upub", "Uprv", testnet: true, .p2shP2wsh)
    public static let capitalVpub = KeyVersion(0x0257_5483, 0x0257_5048, "Vpub", "Vprv", testnet: true, .p2wsh)
    /// Litecoin's (SLIP-132): Ltub for p2pkh, Mtub for p2sh-p2wpkh, ttub for its testnet.
    public static let litecoinLtub = KeyVersion(0x019D_A462, 0x019D_9CFE, "Ltub", "Ltpv", testnet: false, nil, coin: "litecoin")
    public static let litecoinMtub = KeyVersion(0x01B2_6EF6, 0x01B2_6792, "Mtub", "Mtpv", testnet: false, .p2shP2wpkh, coin: "litecoin")
    public static let litecoinTtub = KeyVersion(0x0436_F6E1, 0x0436_EF7D, "ttub", "ttpv", testnet: true, nil, coin: "litecoin")

    public static let all: [KeyVersion] = [
        .xpub, .ypub, .zpub, .capitalYpub, .capitalZpub, .tpub, .upub, .vpub, .capitalUpub, .capitalVpub,
        .litecoinLtub, .litecoinMtub, .litecoinTtub,
    ]

    /// Finds the version a serialised key starts with and whether it is the private form.
    public static func lookup(_ raw: UInt32) -> (version: KeyVersion, isPrivate: Bool)? {
        for version in all {
            if version.publicVersion == raw { return (version, false) }
            if version.privateVersion == raw { return (version, true) }
        }
        return nil
    }

    private init(
        _ publicVersion: UInt32, _ privateVersion: UInt32, _ publicPrefix: String, _ privatePrefix: String,
        testnet: Bool, _ impliedScript: ImpliedScript?, coin: String? = nil
    ) {
        self.publicVersion = publicVersion
        self.privateVersion = privateVersion
        self.publicPrefix = publicPrefix
        self.privatePrefix = privatePrefix
        self.isTestnet = testnet
        self.impliedScript = impliedScript
        self.coin = coin
    }
}
