/// administrators set up the catalog and users; agents take orders. An agent may act on
/// behalf of the agents listed in `actsFor`.
public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
    case administrator, agent
}

public struct User: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var role: Role
    public var actsFor: [String]
    public var active: Bool

    public init(id: String, name: String, role: Role, actsFor: [String] = [], active: Bool = true) {
        self.id = id
        self.name = name
        self.role = role
        self.actsFor = actsFor
        self.active = active
    }

    /// What each role may do. Administrators may do everything an agent may.
    public func may(_ permission: Permission) -> Bool {
        guard active else { return false }
        switch permission {
        case .readCatalog, .manageCustomers, .verifyConfigurations: return true
        case .manageCatalog, .manageUsers, .overrideHolds: return role == .administrator
        case let .actFor(agent): return role == .administrator || agent == id || actsFor.contains(agent)
        }
    }
}

public enum Permission: Hashable, Sendable {
    case readCatalog, manageCatalog, manageUsers, manageCustomers, verifyConfigurations
    /// overriding an overridable hold is for authorised users (administrators).
    case overrideHolds
    case actFor(String)
}

/// An API token. Only its SHA-256 digest is stored; the secret is shown once, when issued.
public struct APIToken: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var user: String
    public var digest: String
    public var label: String?
    public var revoked: Bool

    public init(id: String, user: String, digest: String, label: String? = nil, revoked: Bool = false) {
        self.id = id
        self.user = user
        self.digest = digest
        self.label = label
        self.revoked = revoked
    }
}
