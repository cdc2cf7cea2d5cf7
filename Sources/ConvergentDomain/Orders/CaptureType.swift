/// the capture types, what each may hold, and how their ids are numbered.
public enum CaptureType: String, Hashable, Sendable, Codable, CaseIterable {
    case convergent, simple, serviceManagement, quote, bulk, bulkServiceManagement

    /// capability table: can this capture type order new bundles or products?
    public var ordersNew: Bool {
        switch self {
        case .convergent, .simple, .quote, .bulk: true
        case .serviceManagement, .bulkServiceManagement: false
        }
    }

    /// How many installed multilevel contracts it may service: none, exactly one, or many.
    public var installedContracts: ClosedRange<Int> {
        switch self {
        case .convergent: 0...Int.max
        case .serviceManagement, .bulkServiceManagement: 0...1
        case .simple, .quote, .bulk: 0...0
        }
    }

    /// Only convergent orders migrate components and hold several customers.
    public var allowsRelatedCustomers: Bool { self == .convergent }
}

/// Configurable autonumbering: a prefix per capture type and a zero-padded number,
/// assigned at first save.
public struct OrderNumbering: Hashable, Sendable, Codable {
    public var prefixes: [CaptureType: String]
    public var digits: Int

    public static let standard = OrderNumbering(prefixes: [
        .convergent: "CO", .simple: "COM", .serviceManagement: "SM", .quote: "QT",
        .bulk: "BO", .bulkServiceManagement: "BSM",
    ], digits: 6)

    public init(prefixes: [CaptureType: String], digits: Int) {
        self.prefixes = prefixes
        self.digits = digits
    }

    /// `CO000042` for the 42nd convergent order. The sequence name keeps one counter per prefix.
    public func id(for type: CaptureType, number: Int) -> String {
        let digitsText = String(number)
        return prefix(for: type) + String(repeating: "0", count: max(0, digits - digitsText.count)) + digitsText
    }

    public func prefix(for type: CaptureType) -> String { prefixes[type] ?? type.rawValue.uppercased() }

    public func sequenceName(for type: CaptureType) -> String { "order-\(prefix(for: type))" }
}
