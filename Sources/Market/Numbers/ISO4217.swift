/// ISO 4217 currencies and their minor units (decimal places of the smallest unit), from the
/// standard's List One: the active codes, including fund codes (BOV, CHE, CHW, CLF, COU, MXV,
/// USN, UYI, UYW) and the CFA/CFP francs and XCD/XCG. Codes the standard gives no minor units
/// ("N.A.": gold, silver, platinum, palladium, XDR, XSU, XUA, the bond units, XTS, XXX) and
/// withdrawn codes (HRK, SLL, ZWL, ANG, CUC, …) are not currencies here. Upper-case only.
public enum ISO4217 {
    /// The minor units of `code` ("USD" 2, "JPY" 0, "KWD" 3, "CLF" 4), nil for anything else.
    public static func minorUnits(_ code: String) -> Int? {
        table[code]
    }

    /// Whether `code` is an active ISO 4217 currency code with minor units.
    public static func isCurrency(_ code: String) -> Bool {
        table[code] != nil
    }

    /// Every code this table knows, sorted.
    public static var codes: [String] { table.keys.sorted() }

    private static let table: [String: Int] = {
        var table: [String: Int] = [:]
        for code in twoPlaces.split(separator: " ") { table[String(code)] = 2 }
        for code in zeroPlaces.split(separator: " ") { table[String(code)] = 0 }
        for code in threePlaces.split(separator: " ") { table[String(code)] = 3 }
        for code in fourPlaces.split(separator: " ") { table[String(code)] = 4 }
        return table
    }()

    private static let zeroPlaces =
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
    private static let threePlaces = "BHD IQD JOD KWD LYD OMR TND"
    private static let fourPlaces = "CLF UYW"
    private static let twoPlaces = """
        AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD \
        CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL \
        GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR \
        LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD \
        PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC \
        SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW \
        ZWG
        """
}
