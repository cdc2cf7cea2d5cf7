/// …: a configuration session over an order's contracts, kept between requests.
public struct ConfigurationSession: Hashable, Sendable, Codable, Identifiable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case open, saved, submitted, cancelled
    }

    public var id: String
    public var orderID: String
    /// The order's version when the session opened: saving or submitting over a changed order is a conflict.
    public var orderVersion: Int
    public var status: Status
    /// Contract instance id → order line number.
    public var contractLines: [String: Int]
    public private(set) var document: ConfigurationDocument
    /// the billing changes made in the session, in order, replayed on the order when it is
    /// saved or submitted (after the configuration is recorded), as the order API would apply them.
    public var billingChanges: [SessionBillingChange]?
    /// the changes to installed commitments made in the session, one per
    /// commitment, taken by the order when it is saved or submitted.
    public var commitmentChanges: [CommitmentChange]?

    /// Opens a session over every line whose action takes part in sessions (add, change,
    /// suspend/change — ), grouped by customer, then line. A new line not configured yet
    /// starts as its bare contract, with id `L<line>`; a service line as its installed contract's
    /// tree (keys are installed product ids), given in `installed`. The order's relies-on links come along.
    public static func open(id: String, order: Order, orderVersion: Int, productSellingDate: Day,
                            installed: [String: InstalledContract] = [:]) throws(OrderError) -> ConfigurationSession {
        guard order.status.isEditable else {
            throw OrderError(.notEditable, "order \(order.id) is \(order.status.rawValue); sessions open on orders that can change", field: "status")
        }
        guard order.captureType != .bulkServiceManagement else {
            throw OrderError(.notAllowedForCaptureType, "a bulk service-management order's lines are templates; its rows' contracts are configured in their child orders", field: "captureType")
        }
        let lines = order.lines.filter(\.takesPartInSessions)
            .sorted { ($0.customer, $0.number) < ($1.customer, $1.number) }
        guard !lines.isEmpty else {
            throw OrderError(.nothingToConfigure, "order \(order.id) has no line to configure", field: "lines")
        }
        var contracts: [ConfigurationDocument.Contract] = []
        var map: [String: Int] = [:]
        for line in lines {
            let contract: ConfigurationDocument.Contract
            if let configured = line.configuration {
                contract = configured
            } else if let serviced = line.installedContract {
                guard let tree = installed[serviced] else {
                    throw OrderError(.nothingToConfigure, "installed contract \(serviced) of line \(line.number) was not found", field: "lines")
                }
                contract = tree.configuration
            } else {
                contract = .init(customer: line.customer, root: .init(id: "L\(line.number)", product: line.product))
            }
            map[contract.root.id] = line.number
            contracts.append(contract)
        }
        // an installed contract comes with its relies-on links still in force, between
        // products the session holds; those the order already keeps are not repeated.
        let keys = Set(contracts.flatMap(\.root.allKeys))
        var links = order.links
        for contract in installed.values.sorted(by: { $0.id < $1.id }) {
            for link in contract.links ?? [] where link.status.countsAsActive && keys.contains(link.from) && keys.contains(link.to) {
                let kept = ConfigurationDocument.Link(from: link.from, to: link.to)
                if !links.contains(kept) { links.append(kept) }
            }
        }
        var session = ConfigurationSession(id: id, orderID: order.id, orderVersion: orderVersion, status: .open, contractLines: map,
                                           document: ConfigurationDocument(productSellingDate: productSellingDate, contracts: contracts,
                                                                           links: links.isEmpty ? nil : links,
                                                                           migrations: order.migrations.isEmpty ? nil : order.migrations.map(\.migration)))
        // the commitment changes the lines carry from an earlier session start this one
        // (saving it records exactly the session's changes on them).
        let carried = lines.flatMap { $0.commitmentChanges ?? [] }
        session.commitmentChanges = carried.isEmpty ? nil : carried
        return session
    }

    /// Keeps the configuration after operations (only while open).
    public mutating func update(_ configuration: Configuration) throws(OrderError) {
        try requireOpen()
        document = configuration.document()
    }

    /// save and submit: each line's tree with its status — Not Validated when saved,
    /// the verification's result when submitted.
    /// `errors`: what the configuration does not verify itself (a commitment change that breaks a triggering rule, R-9.4).
    public func results(of configuration: Configuration, submitted: Bool,
                        errors: [VerificationMessage] = []) -> [(line: Int, contract: ConfigurationDocument.Contract, status: LineConfigurationStatus)] {
        let report = submitted ? configuration.report().adding(errors) : nil
        return configuration.document().contracts.compactMap { contract in
            guard let line = contractLines[contract.root.id] else { return nil }
            let status = report.map { LineConfigurationStatus($0.status(ofContract: contract.root.id)) } ?? .notValidated
            return (line, contract, status)
        }
    }

    /// records a billing change (only while open); the order takes it when the session is saved.
    public mutating func recordBilling(_ change: SessionBillingChange) throws(OrderError) {
        try requireOpen()
        billingChanges = (billingChanges ?? []) + [change]
    }

    /// records a change of an installed commitment (only while open), in place of the
    /// session's earlier change of it; an empty change withdraws it.
    public mutating func recordCommitmentChange(_ change: CommitmentChange) throws(OrderError) {
        try requireOpen()
        var changes = (commitmentChanges ?? []).filter { $0.commitment != change.commitment }
        if !change.isEmpty { changes.append(change) }
        commitmentChanges = changes.isEmpty ? nil : changes
    }

    public mutating func close(as status: Status) throws(OrderError) {
        try requireOpen()
        self.status = status
    }

    private func requireOpen() throws(OrderError) {
        guard status == .open else {
            throw OrderError(.sessionClosed, "session \(id) is \(status.rawValue)", field: "session")
        }
    }
}

extension VerificationReport {
    /// The status of one contract of the configuration: its own errors and warnings only.
    public func status(ofContract contract: String) -> ConfigurationStatus {
        let messages = elements.filter { $0.contract == contract }.flatMap { $0.errors + $0.warnings }
            + contractMessages.filter { $0.contract == contract }
        if messages.contains(where: { $0.severity == .error }) { return .invalid }
        return messages.isEmpty ? .valid : .validWithWarning
    }
}

/// a billing change made in a session: a component's rows (as `POST …/lines/{n}/billing`
/// sets them), or a new account marked (as `POST …/new-accounts` marks it).
public enum SessionBillingChange: Hashable, Sendable, Codable {
    case rows(component: String, choices: [BillingChoice], confirmed: Bool)
    case newAccount(customer: String, contact: String?, type: BillingAccount.AccountType)
}

extension Order {
    /// applies a session's billing changes to the order the session saves: each to the line
    /// holding its component now (a change to a component the session removed since is dropped).
    /// `definition` gives a component product's billing definition.
    public mutating func apply(_ changes: [SessionBillingChange], facts: BillingFacts,
                               definition: (ProductID) -> BillingDefinition?) throws(OrderError) {
        for change in changes {
            switch change {
            case let .rows(component, choices, confirmed):
                guard let line = lines.first(where: { $0.configuration?.root.find(component) != nil || $0.componentBilling?[component] != nil }),
                      let product = line.configuration?.root.find(component)?.product ?? (line.componentBilling?[component] != nil ? line.product : nil)
                else { continue }
                let isRoot = line.configuration?.root.id == component
                try setBilling(choices, ofLine: line.number, component: isRoot ? nil : component, confirmed: confirmed,
                               definition: isRoot ? nil : definition(product), facts: facts)
            case let .newAccount(customer, contact, type):
                _ = try markNewAccount(customer: customer, contact: contact, type: type, facts: facts)
            }
        }
    }
}
