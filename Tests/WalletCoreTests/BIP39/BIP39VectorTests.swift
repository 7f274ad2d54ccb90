import Foundation
import Testing
import WalletCore

/// The official test vectors (Tests/Vectors/bip39-vectors.json) for all ten BIP39 languages.
/// The file also holds "russian" and "turkish" entries: those are not official BIP39 word
/// lists (no list ships in the BIP), so they are skipped.
@Suite("BIP39 test vectors")
struct BIP39VectorTests {
    typealias Support = BIP39TestSupport

    @Test("the vector file has 24 entries for each official language and two unofficial ones")
    func vectorFileShape() throws {
        let keys = Set(Support.vectors.keys)
        #expect(keys == Set(MnemonicLanguage.allCases.map(\.wordlistName) + ["russian", "turkish"]))
        for language in MnemonicLanguage.allCases {
            #expect(Support.vectors[language.wordlistName]?.count == 24, "\(language)")
        }
    }

    @Test("entropy -> mnemonic", arguments: MnemonicLanguage.allCases)
    func entropyToMnemonic(language: MnemonicLanguage) throws {
        let vectors = try #require(Support.vectors[language.wordlistName])
        for vector in vectors {
            let mnemonic = try Mnemonic(entropy: vector.entropy, language: language)
            // Same words and same separator (U+3000 for Japanese, as in the file).
            #expect(Support.nfdScalars(mnemonic.phrase) == Support.nfdScalars(vector.mnemonic), "\(vector.mnemonic)")
            #expect(mnemonic.words.count == vector.entropy.count * 3 / 4)
        }
    }

    @Test("mnemonic -> entropy, with the language given and detected", arguments: MnemonicLanguage.allCases)
    func mnemonicToEntropy(language: MnemonicLanguage) throws {
        let vectors = try #require(Support.vectors[language.wordlistName])
        for vector in vectors {
            let parsed = try Mnemonic(phrase: vector.mnemonic, language: language)
            #expect(parsed.entropy == vector.entropy, "\(vector.mnemonic)")
            #expect(parsed.language == language)

            let detected = try Mnemonic(phrase: vector.mnemonic)
            #expect(detected.entropy == vector.entropy)
            if detected.language != language {
                // Only allowed when an earlier language of allCases also contains every word
                // and validates the checksum (Chinese simplified/traditional share characters).
                let allCases = MnemonicLanguage.allCases
                #expect(allCases.firstIndex(of: detected.language)! < allCases.firstIndex(of: language)!)
                #expect(language == .chineseTraditional && detected.language == .chineseSimplified, "\(vector.mnemonic)")
            }
        }
    }

    @Test("mnemonic -> seed with passphrase TREZOR", arguments: MnemonicLanguage.allCases)
    func mnemonicToSeed(language: MnemonicLanguage) throws {
        let vectors = try #require(Support.vectors[language.wordlistName])
        for vector in vectors {
            let seed = try Mnemonic(phrase: vector.mnemonic, language: language).seed(passphrase: Support.vectorPassphrase)
            #expect(seed.count == 64)
            #expect(Support.hex(seed) == Support.hex(vector.seed), "\(vector.mnemonic)")
        }
    }

    @Test("the vectors' passphrase is TREZOR: other passphrases give other seeds")
    func vectorPassphraseIsTREZOR() throws {
        let vector = try #require(Support.vectors["english"]?.first)
        let mnemonic = try Mnemonic(phrase: vector.mnemonic)
        #expect(mnemonic.seed(passphrase: "TREZOR") == vector.seed)
        #expect(mnemonic.seed() != vector.seed)
        #expect(mnemonic.seed(passphrase: "trezor") != vector.seed)
    }

    /// Independent vectors for the 20- and 28-byte entropy sizes (absent from the official file)
    /// and a non-ASCII passphrase that needs NFKD ("ﾊﾟｽﾜｰﾄﾞ Çafé": half-width katakana with
    /// a separate semi-voiced mark, and precomposed accents). Generated with python-mnemonic
    /// 0.21 at development time: entropy = first N bytes of SHA-256("coffer-<list>-<N>").
    static let extraVectors: [(MnemonicLanguage, String, String, String)] = [
        (.english, "9c263ccb0f966ed4ff60764c6a014f1b0f46974d", "order cradle crazy busy group heavy work attract erase exotic fatigue current virtual entry daughter", "d7f67c844952ba4a2007f3a87f4a4390a4cc172c956ce2e3d3d45e740ea4008b50aa1427e31abaa4f9a51f42d9662d4e5287eaaa53fab06d4430128445ab3ccb"),
        (.english, "f64f20e66296dcb4f6054af134c6dfed58005c5d9a6d5ba0fbc15bf6", "wagon jungle define share horse foil submit power van plate retire survey length comfort island ethics forum amazing utility retire hole", "f032af49f124b8b6b293eb30aef517dc4602f4a6a699f2bcf02db22a0a3a7b578ed5cab907a7d743c998520412b72e2948cddf2febe5e560b5dd9628134084ad"),
        (.chineseSimplified, "90d6ed7c8ede51e9a0254bd721d541cb415bcc0a", "残 虎 吧 运 络 悟 壤 弄 饮 政 考 纺 很 冶 完", "a5a61463d7990fbf63ee2ad02ded06c0b2708655ee09967303a365c3752aa7c4b0a4438b9e3111637a4dfbb63abe265e1a9e1b8321c0d9a9fbdf21a67b08f5bf"),
        (.chineseSimplified, "02c400aeb2d275f7aa34d8e7ab8ebe2420adc93dd3166a71c66cb584", "用 取 马 善 教 屏 幼 璃 御 停 伍 害 实 叙 霍 医 握 旁 抵 沉 汉", "d4e7b94bea8ffff54887da7714564858ce79d271ff811d6f03ffcd47c33cf4f43a028adfda21aa3d2464783f38fcce575610c6e2be72c7f417881b0df498a70a"),
        (.chineseTraditional, "7cf3186b514262222dbec6ca49873e4f2d817596", "召 藏 資 浪 再 線 顆 擬 賞 輸 脅 滾 蔣 巧 劑", "20706d8cd12dceded5007b982ad50eab130e1c0803bfb8364d4c970def3f92c13cd9eddc9cc3493d7e619b8ea7c7a173e3199c14f22701e1c49e792ef3112d9a"),
        (.chineseTraditional, "f0d27ba1eaf20e60dbc878115dd714390a8b44b2067580b42f365abb", "徽 敗 壟 遼 光 眾 補 那 數 醇 柳 憲 泰 莫 籍 矽 碳 幣 峽 碰 拔", "bcdbe19014d84a63a8d4ef8b5c48b7701135a0667850f4958277080248a28cfbd26c9ddc9dab6d6690f72e923e6346b205a284fe6aa524d3ae8101ec6872b45a"),
        (.czech, "d4d297ee90b0917a235444c4ed69055596c055c5", "tradice penalta zmrzlina dopustit blahobyt sifon osoba okupant souboj mluvit jepice pukavec modlitba fenka cholera", "0a5e3e8af370e5500ad11853c521cb54cee9c52936e0d76a27bba504b1799726d4c3c098e126f65cf64fb00446fd5485a208aecbe20695a9f5ae069873334442"),
        (.czech, "fdf66969e340436e65edef4eb4b22ae944cbb5934f3b29683ee8e482", "zrcadlo rotunda laik splav bagr rypadlo pivnice skalisko kompas povyk opilost termoska kobliha ukazatel kojenec vojsko export jinak sekera statika dotaz", "9184e76ee8277fb022546a1fea064d71e8580eb4c82c9b4eb543d391eae86250b7e77b78fb6bbec8cf0b7217ccb3848551f374dde8f3c285f7256cda6ccad816"),
        (.french, "3584c5e0f4c51aad7ba96abb21fb3a45d24cc39e", "colibri cabanon halte teneur emmener envoyer tragique cerveau plaque appeler réticule lapin bruyant fabuleux hachoir", "6af379e9c4c86b0338e26d2823393ab09528da02071d61964db354d881ec328ee24a6aa3e224798bc9b2c1a79403c67304ee5f8cec408773db0bc8cf8c358862"),
        (.french, "0d8dcfe3180a06432122f450812b4b32aa46f67c6730f69b5c77107b", "angoisse fureur vérin chiot muraille bougie inventer évoquer élitisme alchimie routine féroce neurone honneur tumulte synapse vanille serein biopsie bordure période", "9cb9c0d8fdd7e0427db6116999085c52482de328e681c1903a050ddbd4b7183bbdd66c2fb1212dfbbfad48ac5957bc9db8d7950b3d56db15e9e62ca1e32fb940"),
        (.italian, "a4e078887b5d4d6759ed627c08c531bd701b89eb", "polvere affranto buffone velina solo ribelle incluso puro mega energia evaso matricola acido scheda quota", "ee9e8113c68c0f90936c0140e1207f8d0a05d15e3f4c4c13cd36b54ebf7b5ac6b08e554736aecbafe42428a89af58e029fb44eb0a8fcc75212facf33ded2b433"),
        (.italian, "3d5d33c9a5a0644f5c81fc2323fdb40016a3bd358fb1712728393cbd", "disagio toscano uscito estonia alce caso lido domenica caduco brama isotopo abbaglio insano succoso sorgere veduto lesivo delirio apertura mantide spinoso", "5215e1b7c5653a9e17b893cbc7406e4235ed292300d203e6805a294d9947ed2a1ce63b702f6ec252b8204f56d88aeaf0a4ab9c5315d7e64bb45071cdc700da87"),
        (.japanese, "5216c1a9f247bc735b330b62404c4d23cf30fc24", "ことし　ぬくもり　じゆう　みすえる　せんよう　くうかん　しんちく　しあげ　しおけ　あたる　うくれれ　けらい　ようきゅう　そえん　だんろ", "ee83bcd994ede67168a82c55b8b96efbb7417c4b481286a9bed0cbd2f4ed401ad7f3705829229e3b8120b4fa45378dfbdfbada6bdf5dca70ccaab3ec44816407"),
        (.japanese, "16d871876de1950337c0046658ea184dda33141589cb532e3764e325", "うなずく　はづき　しいく　ほうほう　うろこ　そむく　ほとんど　あかちゃん　しはん　はんこ　たいねつ　つよい　てんけん　たずさわる　こわれる　ぐあい　こひつじ　すべる　へいそ　はろうぃん　こもん", "0fab9e77ce60482dd60f3832bb0403c3e4988022d4fb08dc05eb5ad1ad2b598d09f11254e9fdfb42b89cfeea738c0dae910af1b7756c9c389708c9101e9dba63"),
        (.korean, "df6162961448fa07b956d71feb47bf07612a567f", "큰아들 경력 이대로 녹화 연속 감각 특히 취업 기록 비난 한계 고장 과목 다방 활짝", "4321cbfd4b8d5358508fda64b0f73129f0db15879610f01a77fbe19e1bbbc4a0d5e2b9ce9858920de9e7c3ad432fb383441c9f270613a269e33d96e701e178ff"),
        (.korean, "7e65de0e6a5b36552089edb5175c80fe76a4c29f5ebd24cd7ea97c5c", "실감 당연히 아픔 체계 장기간 뉴욕 아들 모퉁이 장인 전혀 기법 회원 성장 삼계탕 신비 최선 날개 소규모 인재 호랑이 진찰", "b17214a896776d4cdf898d8180aa4022d0f35cc90a85de76491b76d2ff70c78f067dad87a21e9344ca638051c9debe784c94c0eb5405c44cbb71a9a3ca047806"),
        (.portuguese, "05e75ad429f0c6e1db9011c3360983c31510f416", "adesivo cocada pantanal elenco aliar garfo fugir acabado prisma oriundo excesso iraniano doutor gula ensaio", "5618aaa217305deb48945948e99815ae5ecf3fd1c5f542abe9e2fec9ec5f4a04ccef477a119806458dd35e553a2cac86f7e43a81fa75bb1a67a556daf64ef4c2"),
        (.portuguese, "c7a2579ba83176d63b90cb41fedba4cc43b148ff5ad24f1abda20448", "rachar apagador tampa donzela arvoredo fofocar tostar ateu creme vascular teia manter coentro munido vogal envolver ditador rugoso fileira agachar jararaca", "e267f8b11383684d9eef5c2b23e6cf48ecf3cc1548e19f43c7bec6834f8d71e32ec6b348f65b5609e7560e4016d4c8419f630b6c900efd0d73c5307fb72f3af5"),
        (.spanish, "53c2341bcb6e6196b785a884c3c5ee659b1c16f2", "fábrica ardilla aire música testigo rizo supremo piso lupa bestia lata rito pesca amasar rico", "a4cf24e253b3d710453012eef7c184d733b5c761abbc7343780350d9fc0f68420ffba72c26a1de862a4c8346bb91c1c86b64f65f3f23828fbbf28955be6b23f8"),
        (.spanish, "502076c5c3318f2c67e5ba1b8ff6a11eaf7c62a39c8489838ff21c35", "espía acuerdo perro maíz avión mural ochenta poema banco límite padre cumbre venir ciego miel mismo marido báscula vivir corazón frágil", "d13fca2f0c6fe71278650985a98159248badf72399235724220f929a8400c920d17bbb2220e5e348183a4e9038e1774b31c7f47d38183ab6c3ebfa44afb13f6e"),
    ]
    static let extraPassphrase = "\u{FF8A}\u{FF9F}\u{FF7D}\u{FF9C}\u{FF70}\u{FF84}\u{FF9E} \u{C7}af\u{E9}"

    @Test("20- and 28-byte entropy and an NFKD passphrase, cross-checked with python-mnemonic")
    func extraSizesAndPassphrase() throws {
        #expect(Self.extraVectors.count == 20)
        for (language, entropyHex, phrase, seedHex) in Self.extraVectors {
            let entropy = Support.hex(entropyHex)
            let fromEntropy = try Mnemonic(entropy: entropy, language: language)
            #expect(Support.nfdScalars(fromEntropy.phrase) == Support.nfdScalars(phrase), "\(language)")
            let parsed = try Mnemonic(phrase: phrase, language: language)
            #expect(parsed.entropy == entropy)
            #expect(Support.hex(parsed.seed(passphrase: Self.extraPassphrase)) == seedHex, "\(language) \(entropy.count) bytes")
        }
    }
}
