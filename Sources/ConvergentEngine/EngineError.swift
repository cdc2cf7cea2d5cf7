import ConvergentDomain

/// Why a use case refused a request. The HTTP edge maps each code to a status.
public struct EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, CaseIterable {
        case catalogInvalid = "catalog-invalid"
        case catalogVersionExists = "catalog-version-exists"
        case noActiveCatalog = "no-active-catalog"
        case notFound = "not-found"
        case unauthenticated = "unauthenticated"
        case forbidden = "forbidden"
        case invalidRequest = "invalid-request"
        case alreadyActive = "catalog-already-active"
        case clockNotAdjustable = "clock-not-adjustable"
        /// A history asked for a kind of aggregate that does not exist.
        case unknownKind = "unknown-kind"
    }

    public var code: Code
    public var message: String
    public var field: String?
    /// For `catalog-invalid`: every problem found.
    public var problems: [CatalogProblem]
    /// For `forbidden`: the named permission that was missing.
    public var permission: String?

    public init(_ code: Code, _ message: String, field: String? = nil, problems: [CatalogProblem] = [], permission: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.problems = problems
        self.permission = permission
    }

    /// the refusal of a user without `permission`, naming it.
    public static func missing(_ permission: Permission, user: User, field: String? = nil) -> EngineError {
        EngineError(.forbidden, "user '\(user.id)' (\(user.role.rawValue)) lacks the permission '\(permission.name)'", field: field,
                    permission: permission.name)
    }

    public var description: String { message }
}
