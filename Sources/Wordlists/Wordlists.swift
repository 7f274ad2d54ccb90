// The word lists below are compiled into the binary by SwiftPM's `.embedInCode`
// resource rule, which generates the internal `PackageResources` type with one
// `[UInt8]` constant per file, named after the file (`english.txt` ->
// `english_txt`). SwiftPM rejects two embedded files with the same name in one
// target ("multiple resources named 'english.txt'"), so the SLIP-39 list is
// stored as `slip39/slip39_english.txt`.

/// Raw UTF-8 bytes of the embedded BIP39 word lists, compiled into the binary so the single `coffer` executable needs no resource files at run time.
public enum BIP39WordlistData {
    /// The file stems of every embedded BIP39 list, in the order of the official BIP39 repository.
    public static let names: [String] = [
        "english", "chinese_simplified", "chinese_traditional", "czech", "french",
        "italian", "japanese", "korean", "portuguese", "spanish",
    ]

    /// `name` is the file stem: "english", "chinese_simplified", ...; nil for an unknown name.
    ///
    /// Each list is 2048 newline-terminated words, exactly as published in the BIP39 repository.
    public static func bytes(named name: String) -> [UInt8]? {
        switch name {
        case "english": PackageResources.english_txt
        case "chinese_simplified": PackageResources.chinese_simplified_txt
        case "chinese_traditional": PackageResources.chinese_traditional_txt
        case "czech": PackageResources.czech_txt
        case "french": PackageResources.french_txt
        case "italian": PackageResources.italian_txt
        case "japanese": PackageResources.japanese_txt
        case "korean": PackageResources.korean_txt
        case "portuguese": PackageResources.portuguese_txt
        case "spanish": PackageResources.spanish_txt
        default: nil
        }
    }
}

/// Raw UTF-8 bytes of the embedded SLIP-39 (Shamir backup) English word list: 1024 newline-terminated words.
public enum SLIP39WordlistData {
    /// The list's bytes, compiled into the binary like the BIP39 lists.
    public static var bytes: [UInt8] { PackageResources.slip39_english_txt }
}
