/// a configuration is Valid, Valid with Warning or Invalid.
public enum ConfigurationStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case valid = "Valid"
    case validWithWarning = "Valid with Warning"
    case invalid = "Invalid"
}

/// One rule message: rule id, severity, message and technical detail, for one product.
public struct VerificationMessage: Hashable, Sendable, Codable {
    public var rule: String
    public var severity: Severity
    public var message: String
    public var detail: String
    public var product: ProductID
    /// The instance concerned, when the rule is about one instance rather than a contract's products.
    public var instance: String?
    public var contract: String
    public var customer: String
}

/// Verify's answer: status, and per product its errors, warnings and selling status.
public struct VerificationReport: Hashable, Sendable, Codable {
    public struct Element: Hashable, Sendable, Codable {
        public var instance: String
        public var product: ProductID
        public var name: String
        public var contract: String
        public var customer: String
        public var parent: String?
        public var relation: InstanceRelation?
        public var origin: String
        public var installedStatus: InstalledStatus?
        public var removed: Bool
        public var selling: SellingInfo
        public var attributes: [String: String]
        public var errors: [VerificationMessage]
        public var warnings: [VerificationMessage]
    }

    public struct Link: Hashable, Sendable, Codable {
        public var from: String
        public var to: String
        public var rule: String
        public init(from: String, to: String, rule: String) {
            self.from = from
            self.to = to
            self.rule = rule
        }
    }

    public var status: ConfigurationStatus
    public var productSellingDate: Day
    public var errorCount: Int
    public var warningCount: Int
    public var elements: [Element]
    /// Messages about a contract's products rather than one instance (prerequisites, exclusions, cardinality rules).
    public var contractMessages: [VerificationMessage]
    public var links: [Link]
}
