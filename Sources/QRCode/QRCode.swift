import CQREncode

/// A QR code (ISO/IEC 18004) of a text, encoded by libqrencode (Debian's `libqrencode`) and drawn
/// by us as SVG: one path of dark modules with a quiet zone, so it scales without blur and needs
/// nothing at run time. Used for payment URIs (invoices) and, later, TOTP enrolment.
public struct QRCode: Sendable, Equatable {
    /// Modules per side.
    public let size: Int
    /// Row-major, true for a dark module.
    public let modules: [Bool]

    /// Error correction: M (15 %) suits screens; Q and H survive damage on paper.
    public enum Correction: Sendable { case low, medium, quartile, high }

    /// Encodes `text` (UTF-8, byte mode); throws when it does not fit a version-40 symbol.
    public init(_ text: String, correction: Correction = .medium) throws(QRCodeError) {
        let level: QRecLevel =
            switch correction {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw QRCodeError("cannot encode an empty text as a QR code") }
        guard let code = bytes.withUnsafeBufferPointer({ QRcode_encodeData(Int32($0.count), $0.baseAddress, 0, level) }) else {
            throw QRCodeError("the text (\(bytes.count) bytes) does not fit in a QR code")
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }

    /// A self-contained SVG: `moduleSize` user units per module and a four-module quiet zone.
    public func svg(moduleSize: Int = 8) -> String {
        let quiet = 4
        let side = (size + 2 * quiet) * moduleSize
        var path = ""
        path.reserveCapacity(modules.count * 6)
        for row in 0..<size {
            var column = 0
            while column < size {
                guard isDark(row: row, column: column) else {
                    column += 1
                    continue
                }
                // One horizontal run of dark modules per path segment keeps the file small.
                var end = column
                while end < size && isDark(row: row, column: end) { end += 1 }
                path += "M\((column + quiet) * moduleSize) \((row + quiet) * moduleSize)h\((end - column) * moduleSize)v\(moduleSize)h-\((end - column) * moduleSize)z"
                column = end
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side)" height="\(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """ + "\n"
    }
}

/// A text that cannot be made into a QR code.
public struct QRCodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
