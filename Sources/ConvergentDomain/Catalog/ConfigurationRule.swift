public enum Severity: String, Hashable, Sendable, Codable, CaseIterable {
    case error, warning
}

/// Where a relies-on rule may find the product it applies on.
public enum RelianceScope: String, Hashable, Sendable, Codable, CaseIterable {
    /// In the same contract.
    case contract
    /// In any contract of the same customer.
    case customer
    /// In any contract of the configuration, whoever owns it: a shared service.
    case shared
}

/// every kind of configuration rule, with what it names.
public enum RuleKind: Hashable, Sendable {
    /// Adding `source` adds `target`.
    case bringsOnCreation(source: ProductID, target: ProductID)
    /// Adding `source` adds `target`; removing `source` removes what it brought.
    case bringsAndRemoves(source: ProductID, target: ProductID)
    /// `required` must be in the contract for `dependent` to be there.
    case commercialPrerequisite(required: ProductID, dependent: ProductID)
    /// Functional `source` needs a `target` to apply on, found within `scope`.
    case reliesOn(source: ProductID, target: ProductID, scope: RelianceScope)
    /// `first` and `second` cannot be together in one contract.
    case exclusion(first: ProductID, second: ProductID)
    /// Between `min` and `max` instances of `product` in one contract.
    case cardinality(product: ProductID, min: Int, max: Int)
    /// configuring `source` adds the commitment `commitment`.
    case commitmentTrigger(source: ProductID, commitment: ProductID)
    /// the commitment covers these products.
    case commitmentCoverage(commitment: ProductID, covers: [ProductID])

    public var name: String {
        switch self {
        case .bringsOnCreation: "bringsOnCreation"
        case .bringsAndRemoves: "bringsAndRemoves"
        case .commercialPrerequisite: "commercialPrerequisite"
        case .reliesOn: "reliesOn"
        case .exclusion: "exclusion"
        case .cardinality: "cardinality"
        case .commitmentTrigger: "commitmentTrigger"
        case .commitmentCoverage: "commitmentCoverage"
        }
    }

    public static let allNames = ["bringsOnCreation", "bringsAndRemoves", "commercialPrerequisite", "reliesOn",
                                  "exclusion", "cardinality", "commitmentTrigger", "commitmentCoverage"]

    /// Every product the rule names, with the field that names it.
    public var namedProducts: [(field: String, product: ProductID)] {
        switch self {
        case let .bringsOnCreation(s, t), let .bringsAndRemoves(s, t): [("source", s), ("target", t)]
        case let .commercialPrerequisite(r, d): [("required", r), ("dependent", d)]
        case let .reliesOn(s, t, _): [("source", s), ("target", t)]
        case let .exclusion(a, b): [("first", a), ("second", b)]
        case let .cardinality(p, _, _): [("product", p)]
        case let .commitmentTrigger(s, c): [("source", s), ("commitment", c)]
        case let .commitmentCoverage(c, covers): [("commitment", c)] + covers.map { ("covers", $0) }
        }
    }
}

/// a configuration rule with id, severity, message and active period.
public struct ConfigurationRule: Hashable, Sendable, Identifiable {
    public var id: String
    public var kind: RuleKind
    public var severity: Severity
    public var message: String
    /// Rules are evaluated only when active on the order's product selling date.
    public var activePeriod: Period?
    public var source: SourceRef?

    public init(id: String, kind: RuleKind, severity: Severity = .error, message: String,
                activePeriod: Period? = nil, source: SourceRef? = nil) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.message = message
        self.activePeriod = activePeriod
        self.source = source
    }

    public func isActive(on day: Day) -> Bool { activePeriod?.contains(day) ?? true }
}

// Stored as a flat object: {"id", "kind": "reliesOn", "source", "target", "scope", ...}.
extension ConfigurationRule: Codable {
    enum Keys: String, CodingKey {
        case id, kind, severity, message, activePeriod
        case source, target, required, dependent, scope, first, second, product, min, max, commitment, covers
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        id = try c.decode(String.self, forKey: .id)
        severity = try c.decode(Severity.self, forKey: .severity)
        message = try c.decode(String.self, forKey: .message)
        activePeriod = try c.decodeIfPresent(Period.self, forKey: .activePeriod)
        source = nil
        let kindName = try c.decode(String.self, forKey: .kind)
        func p(_ k: Keys) throws -> ProductID { try c.decode(ProductID.self, forKey: k) }
        switch kindName {
        case "bringsOnCreation": kind = .bringsOnCreation(source: try p(.source), target: try p(.target))
        case "bringsAndRemoves": kind = .bringsAndRemoves(source: try p(.source), target: try p(.target))
        case "commercialPrerequisite": kind = .commercialPrerequisite(required: try p(.required), dependent: try p(.dependent))
        case "reliesOn":
            kind = .reliesOn(source: try p(.source), target: try p(.target), scope: try c.decode(RelianceScope.self, forKey: .scope))
        case "exclusion": kind = .exclusion(first: try p(.first), second: try p(.second))
        case "cardinality":
            kind = .cardinality(product: try p(.product), min: try c.decode(Int.self, forKey: .min), max: try c.decode(Int.self, forKey: .max))
        case "commitmentTrigger": kind = .commitmentTrigger(source: try p(.source), commitment: try p(.commitment))
        case "commitmentCoverage":
            kind = .commitmentCoverage(commitment: try p(.commitment), covers: try c.decode([ProductID].self, forKey: .covers))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown rule kind '\(kindName)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind.name, forKey: .kind)
        try c.encode(severity, forKey: .severity)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(activePeriod, forKey: .activePeriod)
        switch kind {
        case let .bringsOnCreation(s, t), let .bringsAndRemoves(s, t):
            try c.encode(s, forKey: .source)
            try c.encode(t, forKey: .target)
        case let .commercialPrerequisite(r, d):
            try c.encode(r, forKey: .required)
            try c.encode(d, forKey: .dependent)
        case let .reliesOn(s, t, scope):
            try c.encode(s, forKey: .source)
            try c.encode(t, forKey: .target)
            try c.encode(scope, forKey: .scope)
        case let .exclusion(a, b):
            try c.encode(a, forKey: .first)
            try c.encode(b, forKey: .second)
        case let .cardinality(p, mn, mx):
            try c.encode(p, forKey: .product)
            try c.encode(mn, forKey: .min)
            try c.encode(mx, forKey: .max)
        case let .commitmentTrigger(s, cm):
            try c.encode(s, forKey: .source)
            try c.encode(cm, forKey: .commitment)
        case let .commitmentCoverage(cm, covers):
            try c.encode(cm, forKey: .commitment)
            try c.encode(covers, forKey: .covers)
        }
    }
}
