/// One thing wrong with a catalog: a stable code, what is wrong, and where.
public struct CatalogProblem: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Stable codes, one per kind of problem.
    public enum Code: String, Hashable, Sendable, Codable, CaseIterable {
        // Reading the files.
        case syntax = "yaml-syntax"
        /// The file's bytes are not UTF-8.
        case encoding = "invalid-utf8"
        case wrongType = "wrong-type"
        case missingField = "missing-field"
        case unknownField = "unknown-field"
        case invalidValue = "invalid-value"
        // Integrity.
        case duplicateID = "duplicate-id"
        case unknownReference = "unknown-reference"
        case bundleCycle = "bundle-cycle"
        case invertedPeriod = "period-ends-before-start"
        case minAboveMax = "min-above-max"
        case ruleNotApplicable = "rule-not-applicable"
        case levelOrder = "level-order"
        case invalidSells = "invalid-sells"
        case invalidAttribute = "invalid-attribute"
        case invalidBilling = "invalid-billing"
        case invalidPrice = "invalid-price"
        case invalidCommitment = "invalid-commitment"
        /// an agreement product without its terms, or covering what it cannot.
        case invalidAgreement = "invalid-agreement"
        case invalidMigration = "invalid-migration"
        case migrationCycle = "migration-cycle"
        /// a subscription type or definition that names what it cannot, or says nothing.
        case invalidSubscription = "invalid-subscription"
        /// a billing term scheme or definition that allows nothing, or more than its scheme.
        case invalidBillingTerms = "invalid-billing-terms"
        /// Two elements of which one is in force at a time are active on the same day.
        case overlappingPeriods = "overlapping-periods"
    }

    public var code: Code
    public var message: String
    /// Where in the catalog, e.g. `products[BB-CONTRACT].components[BB-PLAY].max`.
    public var path: String
    public var file: String?
    public var line: Int?

    public init(_ code: Code, _ message: String, path: String, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.file = file
        self.line = line
    }

    public init(_ code: Code, _ message: String, path: String, at source: SourceRef?, field: String? = nil) {
        self.init(code, message, path: path, file: source?.file, line: source?.line(of: field))
    }

    /// `file:line: message (path)`, the form editors and CI logs understand.
    public var description: String {
        let place = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return (place.isEmpty ? "" : place + ": ") + "\(message) [\(code.rawValue) at \(path)]"
    }
}
