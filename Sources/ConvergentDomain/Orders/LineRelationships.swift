/// the relationships between the component line items of an order, as the
/// session's result returns them to the order: Child Of, Sells, Relies On, Brings On Creation,
/// Brings and Removes; and what migrations add and remove: Child Of, Sells, Owned By,
/// Billed To, Migrates To / Migrated From. Derived from the lines' trees, the order's links and
/// migrations, and the catalog rules.
public struct LineRelationship: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case childOf = "Child Of", sells = "Sells", reliesOn = "Relies On"
        case bringsOnCreation = "Brings On Creation", bringsAndRemoves = "Brings and Removes"
        case ownedBy = "Owned By", billedTo = "Billed To", migratesTo = "Migrates To", migratedFrom = "Migrated From"
    }

    /// What a migration does to a relationship (nil for the migration links, which are not installed).
    public enum Change: String, Hashable, Sendable, Codable, CaseIterable {
        case add, remove
    }

    public var kind: Kind
    /// Instance keys and their products and lines.
    public var from: String
    public var fromProduct: ProductID
    public var fromLine: Int
    /// A component, or a customer for Owned By and Billed To (then with no product or line).
    public var to: String
    public var toProduct: ProductID?
    public var toLine: Int?
    /// Set on relationships a migration adds or removes, with its id.
    public var change: Change?
    public var migration: String?

    public init(kind: Kind, from: String, fromProduct: ProductID, fromLine: Int, to: String, toProduct: ProductID?, toLine: Int?,
                change: Change? = nil, migration: String? = nil) {
        self.kind = kind
        self.from = from
        self.fromProduct = fromProduct
        self.fromLine = fromLine
        self.to = to
        self.toProduct = toProduct
        self.toLine = toLine
        self.change = change
        self.migration = migration
    }
}

extension Order {
    /// Every relationship among the order's component line items. Child Of points from a
    /// component to its parent; Sells from an atomic offer to the functional component it sells;
    /// Relies On from a functional component to what it applies on (possibly on another line);
    /// Brings … from the component whose rule added the other one (brings on creation: a rule
    /// active on the reference date, both new in the same contract).
    public func relationships(catalog: CatalogIndex, referenceDate: Day) -> [LineRelationship] {
        var found: [LineRelationship] = []
        var where_: [String: (line: Int, product: ProductID)] = [:]
        for line in lines {
            guard let root = line.configuration?.root else { continue }
            var newProducts: [ProductID: [String]] = [:]
            func walk(_ c: ConfigurationDocument.Component, parent: ConfigurationDocument.Component?) {
                where_[c.id] = (line.number, c.product)
                if c.installedStatus == nil { newProducts[c.product, default: []].append(c.id) }
                if let parent {
                    let sold = catalog.index[parent.product].map { p in catalog.sells[p].contains { catalog.products[$0].id == c.product } } ?? false
                    found.append(sold
                        ? LineRelationship(kind: .sells, from: parent.id, fromProduct: parent.product, fromLine: line.number, to: c.id, toProduct: c.product, toLine: line.number)
                        : LineRelationship(kind: .childOf, from: c.id, fromProduct: c.product, fromLine: line.number, to: parent.id, toProduct: parent.product, toLine: line.number))
                }
                for child in c.components ?? [] { walk(child, parent: c) }
            }
            walk(root, parent: nil)
            func brought(_ c: ConfigurationDocument.Component) {
                if let by = c.broughtBy, let origin = where_[by] {
                    found.append(LineRelationship(kind: .bringsAndRemoves, from: by, fromProduct: origin.product, fromLine: origin.line,
                                                  to: c.id, toProduct: c.product, toLine: line.number))
                }
                for child in c.components ?? [] { brought(child) }
            }
            brought(root)
            for rule in catalog.rules where rule.activePeriod?.contains(referenceDate) ?? true {
                guard case let .bringsOnCreation(source, target) = rule.kind else { continue }
                for s in newProducts[source] ?? [] {
                    for t in newProducts[target] ?? [] {
                        found.append(LineRelationship(kind: .bringsOnCreation, from: s, fromProduct: source, fromLine: line.number,
                                                      to: t, toProduct: target, toLine: line.number))
                    }
                }
            }
        }
        for link in links {
            guard let a = where_[link.from], let b = where_[link.to] else { continue }
            found.append(LineRelationship(kind: .reliesOn, from: link.from, fromProduct: a.product, fromLine: a.line,
                                          to: link.to, toProduct: b.product, toLine: b.line))
        }
        for migration in migrations { found += relationships(of: migration) }
        return found
    }
}
