extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits a byte (digests, signatures, generated tokens), without
    /// `String(format:)`, which cost a token check more than the hash itself.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
