/// Lifecycle of an uploaded catalog version. Uploading validates; only a valid version is
/// stored, and only an administrator's activation makes it count.
public enum CatalogVersionStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case validated, active
}

/// What is known about a stored version without loading its products.
public struct CatalogVersionSummary: Hashable, Sendable, Codable {
    public var version: String
    public var effectiveFrom: Day
    public var status: CatalogVersionStatus
    /// Order of activation (1, 2, …): among versions effective on the same day the latest activation wins.
    public var activationSequence: Int?

    public init(version: String, effectiveFrom: Day, status: CatalogVersionStatus, activationSequence: Int? = nil) {
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.status = status
        self.activationSequence = activationSequence
    }
}

public enum CatalogVersions {
    /// The version in force on `day`: the active version with the latest effective date
    /// on or before `day`; ties go to the one activated last. Nil before the first one.
    public static func active(on day: Day, among versions: [CatalogVersionSummary]) -> CatalogVersionSummary? {
        versions
            .filter { $0.status == .active && $0.effectiveFrom <= day }
            .max { ($0.effectiveFrom, $0.activationSequence ?? 0) < ($1.effectiveFrom, $1.activationSequence ?? 0) }
    }
}
