/// administrators set up the catalog and users; agents take orders. An agent may act on
/// behalf of the agents listed in `actsFor`.
public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
    case administrator, agent
}

/// the permissions an administrator grants to a user by name, beyond what the user's role
/// gives. Acting for another agent is granted by naming the agent (`act-for:<user>`, `actsFor`).
public enum GrantedPermission: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case overrideHolds = "override-holds"
    case waiveFees = "waive-fees"
    case manageCatalog = "manage-catalog"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

public struct User: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var role: Role
    public var actsFor: [String]
    /// Named permissions granted to this user; administrators hold them all by role.
    public var granted: [GrantedPermission]
    public var active: Bool

    public init(id: String, name: String, role: Role, actsFor: [String] = [], granted: [GrantedPermission] = [], active: Bool = true) {
        self.id = id
        self.name = name
        self.role = role
        self.actsFor = actsFor
        self.granted = granted
        self.active = active
    }

    enum CodingKeys: String, CodingKey { case id, name, role, actsFor, granted, active }

    /// Users stored before permissions were granted by name have none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), name: try c.decode(String.self, forKey: .name),
                  role: try c.decode(Role.self, forKey: .role), actsFor: try c.decodeIfPresent([String].self, forKey: .actsFor) ?? [],
                  granted: try c.decodeIfPresent([GrantedPermission].self, forKey: .granted) ?? [],
                  active: try c.decodeIfPresent(Bool.self, forKey: .active) ?? true)
    }

    /// A user without granted permissions is stored as before they existed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(role, forKey: .role)
        try c.encode(actsFor, forKey: .actsFor)
        if !granted.isEmpty { try c.encode(granted, forKey: .granted) }
        try c.encode(active, forKey: .active)
    }

    /// What the user may do: what the role gives, and what was granted by name. Administrators may
    /// do everything.
    public func may(_ permission: Permission) -> Bool {
        guard active else { return false }
        if role == .administrator { return true }
        switch permission {
        case .readCatalog, .manageCustomers, .verifyConfigurations: return true
        case .manageUsers, .manageSetup: return false
        case .overrideHolds: return granted.contains(.overrideHolds)
        case .waiveFees: return granted.contains(.waiveFees)
        case .manageCatalog: return granted.contains(.manageCatalog)
        case let .actFor(agent): return agent == id || actsFor.contains(agent)
        }
    }

    /// Every named permission the user holds beyond reading: granted ones and acting for others,
    /// as `GET /users/{id}` lists them.
    public var permissionNames: [String] {
        (granted.sorted().map(\.rawValue) + actsFor.sorted().map { Permission.actFor($0).name })
    }
}

public enum Permission: Hashable, Sendable {
    case readCatalog, manageCatalog, manageUsers, manageCustomers, verifyConfigurations
    /// The operator's setup and the server's clock: administrators only, never granted.
    case manageSetup
    /// overriding an overridable hold is for authorised users.
    case overrideHolds
    /// waiving a plan migration's break-out fee.
    case waiveFees
    case actFor(String)

    /// The stable name a refusal gives (R-2.4: every refusal names the missing permission).
    public var name: String {
        switch self {
        case .readCatalog: "read-catalog"
        case .manageCatalog: GrantedPermission.manageCatalog.rawValue
        case .manageUsers: "manage-users"
        case .manageSetup: "manage-setup"
        case .manageCustomers: "manage-customers"
        case .verifyConfigurations: "verify-configurations"
        case .overrideHolds: GrantedPermission.overrideHolds.rawValue
        case .waiveFees: GrantedPermission.waiveFees.rawValue
        case let .actFor(agent): "act-for:\(agent)"
        }
    }

    /// A permission by the name an administrator grants: a `GrantedPermission` or `act-for:<user>`.
    public static func granting(_ name: String) -> (granted: GrantedPermission?, actsFor: String?)? {
        if let granted = GrantedPermission(rawValue: name) { return (granted, nil) }
        if name.hasPrefix("act-for:"), name.count > 8 { return (nil, String(name.dropFirst(8))) }
        return nil
    }
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
