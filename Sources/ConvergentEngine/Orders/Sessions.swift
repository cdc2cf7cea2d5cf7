import ConvergentDomain
import ConvergentStore
import Foundation

/// A session as the API shows it: the session, its verification, and what it was built from.
public struct SessionView: Sendable {
    /// R-4.7: what the session was built from, and per customer the criteria eligibility reads.
    public struct RequestInformation: Sendable {
        public struct CustomerCriteria: Sendable {
            public var id: String
            public var kind: Customer.Kind
            public var anonymous: Bool
            public var segment: [String: String]
            public var attributedAgent: String?
        }

        public var order: String
        public var captureType: CaptureType
        public var productSellingDate: Day
        public var catalogVersion: String
        public var customers: [CustomerCriteria]
    }

    /// One contract of the session: whose, its line, its status, products and messages.
    public struct ContractDetail: Sendable {
        public var contract: String
        public var customer: String
        public var line: Int?
        public var status: ConfigurationStatus
        public var products: [ProductID]
        public var messages: [VerificationMessage]
        /// R-6.1: what migrations take out of this contract (the components leaving) and bring
        /// into it (the instances arriving), by migration.
        public var migratingOut: [String: String]?
        public var migratingIn: [String: String]?
    }

    public var session: ConfigurationSession
    public var version: Int
    public var status: ConfigurationStatus
    /// Session details per contract, in the session's order (by customer, then line).
    public var contracts: [ContractDetail]
    public var outcome: BatchOutcome?
    public var report: VerificationReport
    public var requestInformation: RequestInformation
}

extension OrderBook {
    /// Opens a session over the order's contracts (R-4.1). An order has one open session at a
    /// time: opening again answers the open one (`opened` false), so work in it is never hidden
    /// from, or overwritten by, a second session. The order lists its sessions; opening writes the
    /// order, so two agents opening at the same moment get the same session.
    public func openSession(order id: String, today: Day, context: ChangeContext) async throws -> (view: SessionView, opened: Bool) {
        try await retryingConflicts(of: [.order], attempts: 3) {
            let order = try await order(id)
            if let open = try await store.all(ConfigurationSession.self, where: ["order_id": id, "status": ConfigurationSession.Status.open.rawValue], limit: 1).first {
                return (try await session(open.value.id, today: today), false)
            }
            let day = order.value.header.productSellingDate ?? today
            // Checked before a number is drawn, so a refused request leaves no gap in session ids.
            var installed: [String: InstalledContract] = [:]
            for line in order.value.lines where line.takesPartInSessions && line.configuration == nil {
                guard let contract = line.installedContract else { continue }
                installed[contract] = try await InstalledBase(store: store).contract(contract)
            }
            let unnumbered = try ConfigurationSession.open(id: "", order: order.value, orderVersion: order.version + 1, productSellingDate: day,
                                                           installed: installed)
            let (configuration, catalogVersion) = try await configuration(of: unnumbered, order: order.value, today: today)
            // The number is drawn in the transaction that stores the session and the order listing it.
            let current = order
            @Sendable func numbered(_ number: Int) throws -> (ConfigurationSession, Order) {
                var session = unnumbered
                session.id = String(format: "S%06d", number)
                var listed = current.value
                try listed.recordSessionOpened(session.id)
                return (session, listed)
            }
            let (number, versions) = try await store.commit(numbering: "session", context: context) { number in
                let (session, listed) = try numbered(number)
                return [try .insert(session), try .update(listed, expectedVersion: current.version)]
            }
            let (session, listed) = try numbered(number)
            let stored = Versioned(value: session, version: versions[0], createdAt: context.at, updatedAt: context.at)
            await sessionCache?.put(session.id, .init(version: stored.version, today: today, catalogVersion: catalogVersion), configuration)
            return (try await view(stored, order: listed, configuration: configuration, catalogVersion: catalogVersion, outcome: nil), true)
        }
    }

    public func session(_ id: String, today: Day) async throws -> SessionView {
        let stored = try await storedSession(id)
        let order = try await order(stored.value.orderID).value
        let (configuration, catalogVersion) = try await configuration(of: stored, today: today)
        if stored.value.status == .open {
            await sessionCache?.put(id, .init(version: stored.version, today: today, catalogVersion: catalogVersion), configuration)
        }
        return try await view(stored, order: order, configuration: configuration, catalogVersion: catalogVersion, outcome: nil)
    }

    /// R-4.2, R-4.3: applies operations; every add or remove re-validates. A refused operation
    /// changes nothing; a question leaves the operations before it applied.
    public func apply(_ operations: [ConfigurationOperation], toSession id: String, expectedVersion: Int?, today: Day,
                      user: User? = nil, context: ChangeContext) async throws -> SessionView {
        let stored = try await storedSession(id)
        if let expectedVersion, expectedVersion != stored.version {
            throw StoreError(.conflict, "session \(id) is at version \(stored.version), not \(expectedVersion)")
        }
        let order = try await order(stored.value.orderID).value
        var (configuration, catalogVersion) = try await configuration(of: stored, today: today)
        for (i, operation) in operations.enumerated() {
            switch operation {
            case let .migrate(instance, action, destination):
                try await checkMigration(instance, action: action, destination: destination, order: order, configuration: configuration,
                                         user: user, field: "operations[\(i)]")
            case let .add(product, contract, _, _):
                try await checkEligibility(of: product, contract: contract, configuration: configuration, user: user, field: "operations[\(i)].product")
            default: continue
            }
        }
        let outcome = try configuration.apply(operations)
        var session = stored.value
        try session.update(configuration)
        let updated = try await store.update(session, expectedVersion: stored.version, createdAt: stored.createdAt, context: context)
        await sessionCache?.put(id, .init(version: updated.version, today: today, catalogVersion: catalogVersion), configuration)
        return try await view(updated, order: order, configuration: configuration, catalogVersion: catalogVersion, outcome: outcome)
    }

    /// R-4.3: Save stores each line's configuration unvalidated; Submit stores it with its
    /// validation result. The order and the session change in one transaction; an order changed
    /// since the session opened is a conflict.
    public func finishSession(_ id: String, submit: Bool, today: Day, context: ChangeContext) async throws -> Versioned<Order> {
        let stored = try await storedSession(id)
        let current = try await order(stored.value.orderID)
        let (configuration, _) = try await configuration(of: stored, today: today)
        var (order, session) = try await saved(stored.value, order: current.value, configuration: configuration, submit: submit, today: today)
        try session.close(as: submit ? .submitted : .saved)
        let versions = try await store.commit([try .update(order, expectedVersion: stored.value.orderVersion),
                                               try .update(session, expectedVersion: stored.version)], context: context)
        await sessionCache?.remove(id)
        return Versioned(value: order, version: versions[0], createdAt: current.createdAt, updatedAt: context.at)
    }

    /// The order as the session saves it (R-4.3, R-6.1, R-4.2): contracts created for migrations
    /// become lines (those whose migrations were all reversed leave), each line takes its tree,
    /// links and migrations are recorded (R-6.3: Billed To defaulted), then the session's billing
    /// changes are applied as the order API applies them — a refused one refuses the whole.
    func saved(_ stored: ConfigurationSession, order current: Order, configuration: Configuration, submit: Bool,
               today: Day) async throws -> (Order, ConfigurationSession) {
        var order = current
        var session = stored
        let present = Set(configuration.document().contracts.map(\.root.id))
        for (key, number) in session.contractLines where !present.contains(key) && (try? order.line(number))?.createdByMigration == true {
            try order.removeMigrationLine(number)
            session.contractLines[key] = nil
        }
        for contract in configuration.document().contracts where session.contractLines[contract.root.id] == nil {
            let line = try order.addMigrationLine(product: contract.root.product, customer: contract.customer, catalog: configuration.catalog)
            session.contractLines[contract.root.id] = line.number
        }
        let commitments = try await changedCommitments(session)
        // (The report is verified again only when the session changes commitments.)
        let errors = submit && !commitments.isEmpty
            ? Self.commitmentErrors(session, commitments: commitments, report: configuration.report(), catalog: configuration.catalog) : []
        for result in session.results(of: configuration, submitted: submit, errors: errors) {
            try order.recordConfiguration(result.contract, status: result.status, ofLine: result.line)
        }
        // R-9.4: the session's changes of installed commitments, on the lines of their contracts.
        try order.recordCommitmentChanges(session.commitmentChanges ?? [], homes: commitments.compactMapValues { CommitmentChange.home(of: $0) })
        try order.recordLinks(configuration.document().links ?? [])
        try order.recordMigrations(configuration.migrations, lines: session.contractLines)
        // R-9.1: the commitments the saved configurations trigger, as lines of their own.
        order.refreshCommitments(catalog: configuration.catalog)
        // R-6.3: a product migrating to another customer is paid, until the agent chooses, as the contract it joins.
        var joined: [String: String] = [:]
        for m in order.migrations where m.migration.crossCustomer && m.billedTo == nil {
            guard let contract = (try? order.line(m.targetLine))?.installedContract, joined[contract] == nil else { continue }
            joined[contract] = try await store.get(InstalledContract.self, id: contract)?.value.root.billingAccount
        }
        order.defaultBilledTo(installed: joined)
        if let changes = session.billingChanges, !changes.isEmpty {
            var accounts: [String] = [], customers: [String] = []
            for change in changes {
                switch change {
                case let .rows(_, choices, _):
                    accounts += choices.compactMap(\.account)
                    customers += choices.compactMap(\.customer)
                case let .newAccount(customer, _, _): customers.append(customer)
                }
            }
            let facts = try await billingFacts(for: order, day: order.header.productSellingDate ?? today, naming: accounts, customers: customers)
            let catalog = configuration.catalog
            try order.apply(changes, facts: facts) { catalog.product($0)?.billing }
        }
        return (order, session)
    }

    /// R-4.2: a billing change in a session — a component's rows, or a new account — checked by
    /// applying every change the session holds to the order as it would be saved (the same
    /// validation and cascade confirmation as the order API), then kept in the session.
    public func changeBilling(_ change: SessionBillingChange, inSession id: String, expectedVersion: Int?, today: Day,
                              context: ChangeContext) async throws -> SessionView {
        try await changeSession(id, expectedVersion: expectedVersion, today: today, context: context) { session, order, configuration in
            // A change names an instance the session has (one it removed since is dropped at save).
            if case let .rows(component, _, _) = change, configuration.instance(key: component) == nil {
                throw OrderError(.unknownComponent, "session \(id) has no instance '\(component)'", field: "component")
            }
            try session.recordBilling(change)
            _ = try await saved(session, order: order, configuration: configuration, submit: false, today: today)
        }
    }

    /// A change kept in the session (not in its configuration): `record` checks it and records
    /// it on the session; the session is stored version-checked (`If-Match`), its configuration
    /// kept in this node's cache either way.
    func changeSession(_ id: String, expectedVersion: Int?, today: Day, context: ChangeContext,
                       _ record: (inout ConfigurationSession, Order, Configuration) async throws -> Void) async throws -> SessionView {
        let stored = try await storedSession(id)
        if let expectedVersion, expectedVersion != stored.version {
            throw StoreError(.conflict, "session \(id) is at version \(stored.version), not \(expectedVersion)")
        }
        let order = try await order(stored.value.orderID).value
        let (configuration, catalogVersion) = try await configuration(of: stored, today: today)
        var session = stored.value
        do {
            try await record(&session, order, configuration)
        } catch {
            if stored.value.status == .open {
                await sessionCache?.put(id, .init(version: stored.version, today: today, catalogVersion: catalogVersion), configuration)
            }
            throw error
        }
        let updated = try await store.update(session, expectedVersion: stored.version, createdAt: stored.createdAt, context: context)
        await sessionCache?.put(id, .init(version: updated.version, today: today, catalogVersion: catalogVersion), configuration)
        return try await view(updated, order: order, configuration: configuration, catalogVersion: catalogVersion, outcome: nil)
    }

    /// R-4.2, R-9.4: a change of an installed commitment in a session — its end date, what it
    /// covers — checked as the direct changes are (an active commitment, a later end, products
    /// its covering rules name, active and its customer's) but for uncovering the product that
    /// triggered it, which the session's verification then reports as an error; kept in the
    /// session in place of its earlier change of that commitment (an empty change withdraws
    /// it). The commitment must have been triggered in a contract of the session.
    public func changeCommitment(_ change: CommitmentChange, inSession id: String, expectedVersion: Int?, today: Day,
                                 context: ChangeContext) async throws -> SessionView {
        try await changeSession(id, expectedVersion: expectedVersion, today: today, context: context) { session, _, configuration in
            guard let commitment = try await store.get(CommitmentContract.self, id: change.commitment)?.value else {
                throw EngineError(.notFound, "no commitment contract '\(change.commitment)'", field: "commitment")
            }
            guard session.holds(commitment) else {
                throw CommitmentError(.notInSession, "commitment \(commitment.id) was not triggered in a contract of session \(id)", field: "commitment")
            }
            if !change.isEmpty {
                var installed: [String: InstalledContract] = [:]
                for contractID in Set(((change.add ?? []) + (change.remove ?? [])).map { String($0.prefix { $0 != "." }) }).sorted() {
                    installed[contractID] = try await store.get(InstalledContract.self, id: contractID)?.value
                }
                _ = try change.applied(to: commitment, installed: installed, coverable: configuration.catalog.commitmentCoverage[commitment.product] ?? [],
                                       today: today)
            }
            try session.recordCommitmentChange(change)
        }
    }

    /// The configuration's report with the errors the session's commitment changes give it (R-9.4).
    func reportWithCommitmentChanges(_ session: ConfigurationSession, configuration: Configuration) async throws -> VerificationReport {
        let report = configuration.report()
        guard session.commitmentChanges != nil else { return report }
        return report.adding(Self.commitmentErrors(session, commitments: try await changedCommitments(session), report: report, catalog: configuration.catalog))
    }

    /// The commitments a session changes, by id, as stored now.
    func changedCommitments(_ session: ConfigurationSession) async throws -> [String: CommitmentContract] {
        let ids = (session.commitmentChanges ?? []).map(\.commitment)
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await store.get(CommitmentContract.self, ids: ids).map { ($0.value.id, $0.value) })
    }

    /// R-9.4: the errors the session's commitment changes give its configuration (an uncovered trigger that stays).
    static func commitmentErrors(_ session: ConfigurationSession, commitments: [String: CommitmentContract], report: VerificationReport,
                                 catalog: CatalogIndex) -> [VerificationMessage] {
        (session.commitmentChanges ?? []).compactMap { change in
            commitments[change.commitment].flatMap { change.brokenTrigger(of: $0, in: report, rules: catalog.rules) }
        }
    }

    /// R-4.2: the billing rows in force for an instance of a session, as the order would have them
    /// once the session is saved (its own rows, or inherited), and whether they are its own; nil
    /// when nothing pays for it by rows (not billing-account selectable).
    func billing(of key: String, session: ConfigurationSession, configuration: Configuration, today: Day) async throws -> InstanceBilling? {
        let order = try await order(session.orderID).value
        let (saved, _) = try await saved(session, order: order, configuration: configuration, submit: false, today: today)
        guard let line = saved.lines.first(where: { $0.configuration?.root.find(key) != nil }),
              let rows = saved.effectiveBilling(of: line)[key] else { return nil }
        let own = line.configuration?.root.id == key ? line.billingRows != nil : line.componentBilling?[key] != nil
        let catalog = configuration.catalog
        let product = line.configuration?.root.find(key)?.product
        return InstanceBilling(line: line.number, rows: rows, own: own,
                               selectable: own || (product.flatMap { catalog.product($0)?.billing?.accountSelectable } ?? false),
                               newAccounts: saved.newAccounts)
    }

    /// R-4.3: Cancel discards the session's changes; the order is untouched.
    public func cancelSession(_ id: String, context: ChangeContext) async throws -> ConfigurationSession {
        let stored = try await storedSession(id)
        var session = stored.value
        try session.close(as: .cancelled)
        let cancelled = try await store.update(session, expectedVersion: stored.version, context: context).value
        await sessionCache?.remove(id)
        return cancelled
    }

    func storedSession(_ id: String) async throws -> Versioned<ConfigurationSession> {
        guard let found = try await store.get(ConfigurationSession.self, id: id) else { throw EngineError(.notFound, "no session '\(id)'") }
        return found
    }

    /// The session's configuration: this node's copy when it is exactly what the stored session
    /// rebuilds to (same version, day and catalog version), otherwise rebuilt and verified from
    /// the stored document. The copy is taken out of the cache: the caller puts back what it stores.
    func configuration(of stored: Versioned<ConfigurationSession>, today: Day) async throws -> (Configuration, String) {
        let day = stored.value.document.productSellingDate ?? today
        let catalog = try await catalogs.active(on: day)
        let catalogVersion = catalog.catalog.header.version
        if stored.value.status == .open,
           let cached = await sessionCache?.take(stored.value.id, .init(version: stored.version, today: today, catalogVersion: catalogVersion)) {
            return (cached, catalogVersion)
        }
        let configuration = try Configuration(document: stored.value.document, catalog: await catalogs.index(of: catalog), today: today)
        return (configuration, catalogVersion)
    }

    /// The configuration of a session being opened (not stored yet).
    func configuration(of session: ConfigurationSession, order: Order, today: Day) async throws -> (Configuration, String) {
        let day = session.document.productSellingDate ?? today
        let stored = try await catalogs.active(on: day)
        let configuration = try Configuration(document: session.document, catalog: await catalogs.index(of: stored), today: today)
        return (configuration, stored.catalog.header.version)
    }

    private func view(_ stored: Versioned<ConfigurationSession>, order: Order, configuration: Configuration, catalogVersion: String,
                      outcome: BatchOutcome?) async throws -> SessionView {
        var customers: [SessionView.RequestInformation.CustomerCriteria] = []
        for id in order.header.customers {
            guard let c = try await store.get(Customer.self, id: id)?.value else { continue }
            customers.append(.init(id: c.id, kind: c.kind, anonymous: c.anonymous, segment: c.segment, attributedAgent: c.attributedAgent))
        }
        let info = SessionView.RequestInformation(order: order.id, captureType: order.captureType, productSellingDate: configuration.productSellingDate,
                                                  catalogVersion: catalogVersion, customers: customers)
        let report = try await reportWithCommitmentChanges(stored.value, configuration: configuration)
        let contracts = configuration.document().contracts.map { contract in
            let id = contract.root.id
            let elements = report.elements.filter { $0.contract == id }
            let out = configuration.migrations.filter { $0.sourceContract == id }, into = configuration.migrations.filter { $0.targetContract == id }
            return SessionView.ContractDetail(contract: id, customer: contract.customer, line: stored.value.contractLines[id],
                                              status: report.status(ofContract: id), products: elements.filter { !$0.removed }.map(\.product),
                                              messages: elements.flatMap { $0.errors + $0.warnings } + report.contractMessages.filter { $0.contract == id },
                                              migratingOut: out.isEmpty ? nil : Dictionary(uniqueKeysWithValues: out.map { ($0.id, $0.component) }),
                                              migratingIn: into.isEmpty ? nil : Dictionary(uniqueKeysWithValues: into.map { ($0.id, $0.target) }))
        }
        return SessionView(session: stored.value, version: stored.version, status: report.status, contracts: contracts, outcome: outcome,
                           report: report, requestInformation: info)
    }
}

/// R-4.2 "show links, rules and possible link targets" for one instance of a session.
public struct InstanceDetail: Sendable {
    public struct Rule: Sendable {
        public var id: String
        public var kind: String
        public var severity: Severity
        public var message: String
        public var activePeriod: Period?
        /// Whether the rule is evaluated on the session's product selling date.
        public var active: Bool
    }

    public var element: VerificationReport.Element
    /// Relies-on links from and to the instance.
    public var links: [VerificationReport.Link]
    /// Every catalog rule that names the instance's product.
    public var rules: [Rule]
    /// Instances it could rely on (R-1.4 relies-on), for a link operation.
    public var linkTargets: [String]
    /// R-6.1: the migrations offered for it, with their places in the session and the contract
    /// products a new contract could be created from.
    public var migrations: [PossibleMigration]
    /// R-4.2: the billing rows in force for it once the session is saved.
    public var billing: InstanceBilling?
    /// R-4.2, R-9.1: its commitments.
    public var commitments: InstanceCommitments?
}

/// R-4.2, R-9.1: a component's commitments in a session: the commitments its product brings when
/// configured (triggering rules) and those whose covering rules name it, and — installed — the
/// commitment contracts that cover it now.
public struct InstanceCommitments: Sendable {
    public var triggers: [ProductID]
    public var coveredBy: [ProductID]
    public var contracts: [Versioned<CommitmentContract>]
    /// R-9.4: per commitment contract, the session's installed components it may cover and does
    /// not cover yet (`CommitmentContract.coverable`): what a change in the session may add.
    public var coverable: [String: [CommitmentCoverage]] = [:]
}

/// R-4.2: an instance's billing in a session: the rows in force (its own or inherited), whether
/// they are its own, whether it may set rows of its own, and the new accounts marked.
public struct InstanceBilling: Sendable {
    public var line: Int
    public var rows: [LineBillingRow]
    public var own: Bool
    public var selectable: Bool
    public var newAccounts: [NewBillingAccount]
}

extension OrderBook {
    /// One instance of a session with its links, rules, link targets and the migrations offered
    /// for it to `user` (R-1.5: the actions' eligibility rules, for that user and the customer).
    public func instance(_ key: String, inSession id: String, today: Day, user: User? = nil) async throws -> InstanceDetail {
        let stored = try await storedSession(id)
        let (configuration, catalogVersion) = try await configuration(of: stored, today: today)
        if stored.value.status == .open {
            await sessionCache?.put(id, .init(version: stored.version, today: today, catalogVersion: catalogVersion), configuration)
        }
        let report = try await reportWithCommitmentChanges(stored.value, configuration: configuration)
        guard let element = report.elements.first(where: { $0.instance == key }) else {
            throw ConfigurationError(.unknownInstance, "no instance '\(key)' in session \(id)", field: "instance")
        }
        let targets = element.removed ? [] : try configuration.linkTargets(for: key)
        let day = configuration.productSellingDate
        let rules = configuration.catalog.rules.filter { rule in rule.kind.namedProducts.contains { $0.product == element.product } }.map { rule in
            InstanceDetail.Rule(id: rule.id, kind: rule.kind.name, severity: rule.severity, message: rule.message, activePeriod: rule.activePeriod,
                                active: rule.activePeriod?.contains(day) ?? true)
        }
        let customer = try await store.get(Customer.self, id: element.customer)?.value
        let migrations = PossibleMigration.options(for: key, in: report, catalog: configuration.catalog, today: today,
                                                   facts: EligibilityFacts(customer: customer, user: user))
        let billing = element.removed ? nil : try await billing(of: key, session: stored.value, configuration: configuration, today: today)
        return InstanceDetail(element: element, links: report.links.filter { $0.from == key || $0.to == key }, rules: rules, linkTargets: targets,
                              migrations: migrations, billing: billing,
                              commitments: try await commitments(of: element, in: report, catalog: configuration.catalog))
    }

    /// R-9.1: what the component's product brings and is covered by, and the commitment contracts
    /// covering it when it is installed (by the installed product's references); nil when none.
    func commitments(of element: VerificationReport.Element, in report: VerificationReport, catalog: CatalogIndex) async throws -> InstanceCommitments? {
        let triggers = catalog.commitmentTriggers[element.product] ?? []
        let coveredBy = catalog.commitmentCoverage.filter { $0.value.contains(element.product) }.keys.sorted()
        var contracts: [Versioned<CommitmentContract>] = []
        if element.installedStatus != nil {
            let contractID = String(element.instance.prefix { $0 != "." })
            let installed = try await store.get(InstalledContract.self, id: contractID)?.value.product(element.instance)?.component
            for id in installed?.commitments ?? [] {
                if let found = try await store.get(CommitmentContract.self, id: id) { contracts.append(found) }
            }
        }
        guard !triggers.isEmpty || !coveredBy.isEmpty || !contracts.isEmpty else { return nil }
        var found = InstanceCommitments(triggers: triggers, coveredBy: coveredBy, contracts: contracts)
        guard !contracts.isEmpty else { return found }
        // The session's installed components (not removed in it), judged against their contracts as stored.
        let candidates = report.elements.filter { $0.installedStatus != nil && !$0.removed }.map(\.instance)
        var installed: [String: InstalledContract] = [:]
        for id in Set(candidates.map { String($0.prefix { $0 != "." }) }) { installed[id] = try await store.get(InstalledContract.self, id: id)?.value }
        for contract in contracts.map(\.value) {
            found.coverable[contract.id] = contract.coverable(among: candidates, installed: installed,
                                                              coverable: catalog.commitmentCoverage[contract.product] ?? [])
        }
        return found
    }
}

extension OrderBook {
    /// R-6.1: before a migration is applied, what the order says (`Order.checkMigration`) and the
    /// action's eligibility (R-1.5) for this user and the component's customer, read from the store.
    func checkMigration(_ instance: String, action: String, destination: MigrationDestination, order: Order, configuration: Configuration,
                        user: User?, field: String) async throws {
        try order.checkMigration(to: destination, field: field)
        // What else is wrong (the action, the component, the destination) the configuration says.
        guard let definition = configuration.catalog.catalog.migrations.first(where: { $0.id == action }),
              let element = configuration.instance(key: instance) else { return }
        let customer = try await store.get(Customer.self, id: element.customer)?.value
        let reasons = definition.ineligibility(EligibilityFacts(customer: customer, user: user), in: configuration.catalog.catalog)
        if !reasons.isEmpty {
            throw NotAllowed(.notEligible, "migration action \(action) is not offered for \(element.customer) (R-1.5)", field: field + ".action", reasons: reasons)
        }
    }

    /// R-1.5: a product the agent adds must be eligible for the contract's customer and the user.
    func checkEligibility(of product: ProductID, contract: String, configuration: Configuration, user: User?, field: String) async throws {
        let catalog = configuration.catalog.catalog
        guard let index = configuration.catalog.index[product], let names = configuration.catalog.products[index].eligibleWhen, !names.isEmpty else { return }
        let customerID = configuration.instance(key: contract)?.customer
        var customer: Customer?
        if let customerID { customer = try await store.get(Customer.self, id: customerID)?.value }
        let reasons = EligibilityCheck.decide(CatalogIntegrity.rules(names, in: catalog), EligibilityFacts(customer: customer, user: user))
        if !reasons.isEmpty {
            throw NotAllowed(.notEligible, "\(product) is not offered to \(customerID ?? "this customer") (R-1.5)", field: field, reasons: reasons)
        }
    }
}
