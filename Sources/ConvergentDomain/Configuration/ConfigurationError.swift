/// Why a configuration operation or document was refused. Stable codes; `field` names the part
/// of the request at fault.
public typealias ConfigurationError = Refusal<ConfigurationErrorCode>

/// The codes of the configuration context.
public enum ConfigurationErrorCode: String, RefusalCode {
    case unknownProduct = "unknown-product"
    case unknownInstance = "unknown-instance"
    case duplicateInstance = "duplicate-instance"
    case notAContract = "not-a-contract"
    case notInBundle = "not-in-bundle"
    case notSellable = "not-sellable"
    case unknownAttribute = "unknown-attribute"
    case invalidAttribute = "invalid-attribute"
    case noSuchRule = "no-relies-on-rule"
    case outOfScope = "link-out-of-scope"
    case noSuchLink = "unknown-link"
    case invalidPlacement = "invalid-placement"
    case removedInstance = "instance-removed"
    /// what cannot migrate, or where it cannot go.
    case notMigratable = "not-migratable"
    case migrationNotOffered = "migration-not-offered"
    case suspendedContract = "suspended-contract"
    case migrationIntoDisconnected = "migration-into-disconnected-contract"
    case targetObsolete = "target-obsolete"
    case unknownMigration = "unknown-migration"
    case migrationInProgress = "migration-in-progress"
}

/// Asked instead of guessing when a product could go in several places.
public struct PlacementQuestion: Hashable, Sendable, Codable {
    public struct Candidate: Hashable, Sendable, Codable {
        /// The existing instance the product would go under.
        public var instance: String
        public var product: ProductID
        /// Products that would be created between that instance and the product (missing ancestors).
        public var via: [ProductID]
    }

    public var product: ProductID
    /// The rule that brings the product, or nil when the agent added it.
    public var rule: String?
    public var message: String
    public var candidates: [Candidate]
}

/// The result of an operation: applied, or a question to answer by repeating it with a placement.
public enum OperationOutcome: Hashable, Sendable {
    case applied(created: [String], removed: [String])
    case question(PlacementQuestion)
}
