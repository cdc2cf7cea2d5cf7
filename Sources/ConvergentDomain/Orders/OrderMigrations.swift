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
    /// R-6.3: across customers, the account of the new owner that pays the migrated product and
    /// its descendants (Billed To): defaulted from the target contract, chosen by the agent.
    public var billedTo: String?
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

    /// R-6.3: chooses the account paying a product migrated to another customer (Billed To):
    /// one of the new owner's accounts, not closed. A migration within a customer follows the
    /// target contract's billing.
    public mutating func setBilledTo(_ account: String, migration id: String, facts: BillingFacts) throws(OrderError) {
        try requireEditable()
        guard let index = migrations.firstIndex(where: { $0.migration.id == id }) else {
            throw OrderError(.unknownMigration, "order \(self.id) has no migration '\(id)'", field: "migration")
        }
        let m = migrations[index].migration
        guard m.crossCustomer else {
            throw OrderError(.billingNotAllowed, "migration \(id) stays with \(m.targetCustomer): the product is paid as the target contract is", field: "migration")
        }
        guard let found = facts.accounts[account] else { throw OrderError(.unknownAccount, "no billing account '\(account)'", field: "account") }
        guard found.owner == m.targetCustomer else {
            throw OrderError(.billingNotAllowed, "account \(account) belongs to \(found.owner); Billed To is an account of \(m.targetCustomer), the new owner", field: "account")
        }
        guard found.status != .closed else { throw OrderError(.billingNotAllowed, "account \(account) is closed", field: "account") }
        var all = migrations
        let earlier = all[index].billedTo
        all[index].billedTo = account
        storedMigrations = all
        // A contract created for what migrates is paid, where nothing says otherwise, by the same
        // account: its primary row follows Billed To while empty or still holding the earlier choice.
        if let i = lines.firstIndex(where: { $0.number == all[index].targetLine && $0.createdByMigration == true }),
           let r = lines[i].billingRows?.firstIndex(where: { $0.primary && ($0.isEmpty || ($0.account != nil && $0.account == earlier)) }),
           lines[i].billingRows![r].allows(found.paymentMode) {
            lines[i].billingRows![r].customer = found.owner
            lines[i].billingRows![r].contact = found.contact
            lines[i].billingRows![r].account = account
        }
    }

    /// R-6.3: the account a cross-customer migration's product is paid by until the agent
    /// chooses: the target contract's (the primary row in force where it lands, else `installed`,
    /// the account of the installed contract it joins). Migrations already chosen keep theirs.
    public mutating func defaultBilledTo(installed: [String: String]) {
        guard var all = storedMigrations else { return }
        for i in all.indices where all[i].migration.crossCustomer && all[i].billedTo == nil {
            let m = all[i].migration
            guard let line = try? line(all[i].targetLine) else { continue }
            let rows = effectiveBilling(of: line)[m.targetParent]
            all[i].billedTo = rows?.first(where: \.primary)?.account ?? line.installedContract.flatMap { installed[$0] }
        }
        storedMigrations = all
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
            // R-6.3: the account chosen for a migration the session kept stays chosen.
            let earlier = migrations.first { $0.migration.id == m.id && $0.migration.targetCustomer == m.targetCustomer }
            kept.append(OrderMigration(migration: m, sourceLine: source, targetLine: target, billedTo: m.crossCustomer ? earlier?.billedTo : nil))
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
