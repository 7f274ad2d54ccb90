extension ReportHTML {
    /// Escapes text for HTML element content and quoted attribute values:
    /// `&`, `<`, `>`, `"` and `'` become character references. Every string
    /// that comes from the model goes through this before reaching markup.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
