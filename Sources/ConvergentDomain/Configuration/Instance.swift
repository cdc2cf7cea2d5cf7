/// A component instance in a configuration: new (being ordered) or installed.
public struct InstanceID: Hashable, Comparable, Sendable {
    public let raw: Int
    public static func < (a: InstanceID, b: InstanceID) -> Bool { a.raw < b.raw }
}

/// Statuses of an installed product.: Pending Activation, Suspended, Pending Suspension and
/// Pending Resumption count as active for rule checks, as does Active.
public enum InstalledStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case active, pendingActivation, suspended, pendingSuspension, pendingResumption, pendingDisconnection, disconnected, inactive

    public var countsAsActive: Bool {
        switch self {
        case .active, .pendingActivation, .suspended, .pendingSuspension, .pendingResumption: true
        case .pendingDisconnection, .disconnected, .inactive: false
        }
    }

    /// DESIGN principle 7: the one transition table of an installed product's status. A product
    /// enters the installed base Pending Activation (fulfillment) or in any status (a load of an
    /// existing base); fulfillment marks it pending (suspend, resume, disconnect, or removed by a
    /// change) and settles it once provisioning answered; Disconnected is final. Every write of an
    /// installed contract is checked against it, in the storage transaction.
    public static let transitions: [InstalledStatus: Set<InstalledStatus>] = [
        .pendingActivation: [.active, .pendingSuspension, .pendingResumption, .pendingDisconnection],
        .active: [.pendingSuspension, .pendingResumption, .pendingDisconnection],
        .pendingSuspension: [.suspended, .pendingResumption, .pendingDisconnection],
        .suspended: [.pendingSuspension, .pendingResumption, .pendingDisconnection],
        .pendingResumption: [.active, .pendingSuspension, .pendingDisconnection],
        .pendingDisconnection: [.disconnected],
        .disconnected: [],
        .inactive: [.pendingActivation, .pendingDisconnection],
    ]

    /// The status a pending one settles into once provisioning answered; a settled status stays.
    public var settled: InstalledStatus {
        switch self {
        case .pendingActivation, .pendingResumption: .active
        case .pendingSuspension: .suspended
        case .pendingDisconnection: .disconnected
        case .active, .suspended, .disconnected, .inactive: self
        }
    }

    /// Whether a product in this status may move to `next` (staying is not a move).
    public func canMove(to next: InstalledStatus) -> Bool { self == next || Self.transitions[self]?.contains(next) == true }
}

public enum InstanceOrigin: Hashable, Sendable {
    case new
    case installed(InstalledStatus)

    var countsAsActive: Bool {
        switch self {
        case .new: true
        case let .installed(status): status.countsAsActive
        }
    }
}

/// The part of an instance the verifier reads in its loops: plain values, no reference counting.
struct InstanceCore: Sendable {
    let product: Int32
    let sells: Bool
    /// `Instance.isCounted`, kept in step by every change of `removed` or `deleted`.
    var counted: Bool
}

/// How an instance hangs under its parent: in the bundle tree, or sold by an atomic offer.
public enum InstanceRelation: String, Hashable, Sendable, Codable, CaseIterable {
    case childOf, sells
}

public struct Instance: Sendable {
    public let id: InstanceID
    /// The id callers know the instance by.
    public let key: String
    public let product: Int
    public let productID: ProductID
    public let parent: InstanceID?
    public let relation: InstanceRelation
    public internal(set) var children: [InstanceID]
    public let contract: InstanceID
    public let customer: String
    public let origin: InstanceOrigin
    /// An installed instance that this configuration removes (it will be disconnected).
    public internal(set) var removed: Bool
    public internal(set) var attributes: [String: String]
    /// The instance whose brings-and-removes rule added this one.
    public internal(set) var broughtBy: InstanceID?
    /// A new instance taken out of the configuration again; kept so re-verification knows where it was.
    public internal(set) var deleted = false

    /// Whether the instance counts for rule checks.
    public var isCounted: Bool {
        if removed || deleted { return false }
        switch origin {
        case .new: return true
        case let .installed(status): return status.countsAsActive
        }
    }

    public var isNew: Bool { origin == .new }
}

/// A relies-on link (Applies On / Is Used By) created by a relies-on rule.
public struct RelianceLink: Hashable, Sendable {
    public let from: InstanceID
    public let to: InstanceID
    public let rule: Int
}
