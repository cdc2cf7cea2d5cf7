/// R-6: a migration as the order keeps it: the session's record with the lines it spans and,
/// on child orders, the installed contracts of both ends.
public struct OrderMigration: Hashable, Sendable, Codable {
    public var migration: ConfigurationMigration
    public var sourceLine: Int
    public var targetLine: Int
    /// Set at submission: the installed contract the component leaves and the one it goes to
    /// (`IC-<child order>-<line>` for a new contract).
    public var sourceInstalledContract: String?
    public var targetInstalledContract: String?
}

extension Order {
    /// R-6: the migrations recorded by the last session that changed them.
    public var migrations: [OrderMigration] { storedMigrations ?? [] }

    /// R-3.1, R-4.4, R-6.1: what the order says about migrating in its session to `destination`:
    /// only convergent orders migrate; a contract being suspended and changed (suspend/change)
    /// stops migrations; a new contract goes to the sold-to or a related customer.
    public func checkMigration(to destination: MigrationDestination, field: String) throws {
        guard captureType == .convergent else {
            throw OrderError(.notAllowedForCaptureType, "only convergent orders migrate components (R-3.1); convert the order first", field: "captureType")
        }
        if let line = lines.first(where: { $0.action == .suspendChange }) {
            throw ConfigurationError(.suspendedContract, "line \(line.number) suspends installed contract \(line.installedContract ?? "?") and changes it in this session; a suspended contract cannot take part in a session that migrates (R-4.4)", field: field)
        }
        if case let .newContract(_, customer) = destination, !header.customers.contains(customer) {
            throw OrderError(.unknownCustomer, "\(customer) is neither the sold-to nor a related customer of \(id); add it as a related customer first", field: field + ".newContract.customer")
        }
    }

    /// R-6.1: a new contract a session created for a migration becomes a line for its customer.
    @discardableResult
    public mutating func addMigrationLine(product: ProductID, customer: String, catalog: CatalogIndex) throws(OrderError) -> OrderLine {
        guard captureType == .convergent else {
            throw OrderError(.notAllowedForCaptureType, "only convergent orders migrate components (R-3.1)", field: "captureType")
        }
        let line = try addLine(product: product, action: .add, owner: customer, catalog: catalog)
        lines[lines.count - 1].createdByMigration = true
        return line
    }

    /// The line of a new contract whose migrations were all reversed leaves the order.
    public mutating func removeMigrationLine(_ number: Int) throws(OrderError) {
        guard try line(number).createdByMigration == true else {
            throw OrderError(.migrationInProgress, "line \(number) was not created by a migration", field: "line")
        }
        storedMigrations = migrations.filter { $0.sourceLine != number && $0.targetLine != number }.nilIfEmpty
        try removeLine(number)
    }

    /// Records a session's migrations with the lines of their contracts (`lines`: contract key →
    /// line; the R-6.4 relationships are derived from them), and R-3.6: a service line whose
    /// contract the migrations emptied is disconnected; one no longer emptied goes back to Change.
    public mutating func recordMigrations(_ records: [ConfigurationMigration], lines contractLines: [String: Int]) throws(OrderError) {
        try requireEditable()
        var kept: [OrderMigration] = []
        for m in records {
            guard let source = contractLines[m.sourceContract], let target = contractLines[m.targetContract] else {
                throw OrderError(.unknownLine, "migration \(m.id) spans a contract that is not a line of order \(id)", field: "migrations")
            }
            kept.append(OrderMigration(migration: m, sourceLine: source, targetLine: target))
        }
        let emptied = Set(records.flatMap { $0.emptied ?? [] })
        for i in lines.indices {
            let key = lines[i].configuration?.root.id ?? lines[i].installedContract
            if let key, emptied.contains(key), lines[i].action == .change {
                lines[i].action = .disconnect
                lines[i].emptiedByMigration = true
            } else if lines[i].emptiedByMigration == true, !(key.map(emptied.contains) ?? false) {
                lines[i].action = .change
                lines[i].emptiedByMigration = nil
            }
        }
        storedMigrations = kept.nilIfEmpty
    }

    /// R-6.4: what one migration adds and removes between lines: Child Of (the migrated component
    /// and, for a transformation, its target), Sells for functional components that moved, Owned
    /// By and Billed To across customers (to the customer whose account pays), and the migration
    /// links Migrates To / Migrated From — not for reparenting.
    func relationships(of om: OrderMigration) -> [LineRelationship] {
        let m = om.migration, source = om.sourceLine, target = om.targetLine
        func product(_ key: String) -> ProductID? {
            for line in lines { if let c = line.configuration?.root.component(key) { return c.product } }
            return nil
        }
        func rel(_ kind: LineRelationship.Kind, _ change: LineRelationship.Change?, _ from: String, _ fromLine: Int,
                 _ to: String, _ toProduct: ProductID?, _ toLine: Int?) -> LineRelationship {
            LineRelationship(kind: kind, from: from, fromProduct: product(from) ?? m.product, fromLine: fromLine, to: to,
                             toProduct: toProduct, toLine: toLine, change: change, migration: m.id)
        }
        var r: [LineRelationship] = [
            rel(.childOf, .remove, m.component, source, m.sourceParent, product(m.sourceParent), source),
            rel(.childOf, .add, m.target, target, m.targetParent, product(m.targetParent), target),
        ]
        for move in m.moved where move.instance != m.component {
            r.append(rel(.sells, .remove, move.from, source, move.instance, product(move.instance), source))
            r.append(rel(.sells, .add, m.target, target, move.instance, product(move.instance), target))
        }
        if m.crossCustomer {
            for kind in [LineRelationship.Kind.ownedBy, .billedTo] {
                r.append(rel(kind, .remove, m.component, source, m.sourceCustomer, nil, nil))
                r.append(rel(kind, .add, m.target, target, m.targetCustomer, nil, nil))
            }
        }
        if m.kind == .transformation {
            r.append(rel(.migratesTo, nil, m.component, source, m.target, m.targetProduct, target))
            r.append(rel(.migratedFrom, nil, m.target, target, m.component, m.product, source))
        }
        return r
    }
}

extension Order {
    /// MLCMV (R-5.2): the migrations through which one component comes back to a contract it
    /// left (A → B → … → A), found as cycles in the order's migration graph per component, whose
    /// nodes are contracts.
    public func migrationCycles() -> [OrderMigration] {
        var found: [OrderMigration] = []
        for (_, steps) in Dictionary(grouping: migrations, by: { $0.migration.component }) {
            var edges: [String: [OrderMigration]] = [:]
            // A move within one contract changes the component in place: it is no step between bundles.
            for step in steps where step.migration.crossContract { edges[step.migration.sourceContract, default: []].append(step) }
            // A cycle exists when some contract reaches itself again along the component's moves.
            for start in edges.keys.sorted() {
                var path: [OrderMigration] = []
                var seen: Set<String> = []
                func walk(_ contract: String) -> Bool {
                    for step in edges[contract] ?? [] {
                        path.append(step)
                        if step.migration.targetContract == start { return true }
                        if seen.insert(step.migration.targetContract).inserted, walk(step.migration.targetContract) { return true }
                        path.removeLast()
                    }
                    return false
                }
                if walk(start) {
                    for step in path where !found.contains(step) { found.append(step) }
                }
            }
        }
        return found.sorted { $0.migration.id < $1.migration.id }
    }
}
