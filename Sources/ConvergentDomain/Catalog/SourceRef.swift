/// Where an element was read from (file and line), so that every integrity problem can name
/// the place to fix. It is bookkeeping, not data: two catalogs that differ only in where their
/// elements were read from are equal, and it is never stored (it encodes as nothing).
public struct SourceRef: Hashable, Sendable, Codable {
    public var file: String
    public var line: Int
    /// Line of each field of the element that was given.
    public var fieldLines: [String: Int]

    public init(file: String, line: Int, fieldLines: [String: Int] = [:]) {
        self.file = file
        self.line = line
        self.fieldLines = fieldLines
    }

    public func line(of field: String?) -> Int {
        guard let field else { return line }
        return fieldLines[field] ?? line
    }

    public static func == (_: SourceRef, _: SourceRef) -> Bool { true }
    public func hash(into _: inout Hasher) {}

    public init(from decoder: any Decoder) throws {
        self.init(file: "", line: 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encodeNil()
    }
}
