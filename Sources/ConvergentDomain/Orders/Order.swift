import Foundation

/// R-3.3: what a line does.
public enum LineAction: String, Hashable, Sendable, Codable, CaseIterable {
    case add, change, disconnect, suspend, suspendChange, resume

    /// R-4.1: lines a configuration session includes.
    public var takesPartInSessions: Bool { self == .add || self == .change || self == .suspendChange }
}

/// R-3.3: one line: a top-level product (new) or an installed contract (service).
public struct OrderLine: Hashable, Sendable, Codable {
    public var number: Int
    public var action: LineAction
    public var reason: String?
    /// The customer the line belongs to (the owner of a new contract).
    public var customer: String
    public var product: ProductID
    /// For service lines: the installed contract serviced.
    public var installedContract: String?
    /// Suspend and resume: the installed product (a play, say) that is suspended or resumed with
    /// what is below it; nil: the whole contract.
    public var scope: String?
    public var configurationStatus: LineConfigurationStatus
    /// The configured component tree (R-3.3 component line items).
    public var configuration: ConfigurationDocument.Contract?
    public var status: LineStatus
    public var clonedFrom: Int?
    /// The product site: where the line's products are installed (R-5.2 RPSITE, RPSITC).
    public var site: SiteInformation?
    /// R-6.1: a new contract created in a session as the target of a migration.
    public var createdByMigration: Bool?
    /// R-3.6: a service line whose every component migrated away: its action became Disconnect.
    public var emptiedByMigration: Bool?
    /// R-8.1: the billing account rows of a billing-account selectable product (nil otherwise).
    public var billingRows: [LineBillingRow]?
    /// R-8.1: components of the tree that set rows of their own, by instance key (the others inherit).
    public var componentBilling: [String: [LineBillingRow]]?
    /// R-9.1: on a commitment line, the line it commits and what it covers.
    public var commitment: LineCommitment?
    /// R-9.1: on a bundle line whose configuration triggers several commitments, the ones the
    /// agent chooses between (the order is held, CMTCHO, until one is chosen).
    public var commitmentChoices: [ProductID]?
    /// R-6.3: on a service agreement line, the installed products it covers (empty until chosen: AGRCOV holds).
    public var agreement: LineAgreement?
    /// R-9.4: changes to installed commitments triggered in this line's contract, made in a
    /// session; applied when the order completes.
    public var commitmentChanges: [CommitmentChange]?

    public var isNew: Bool { installedContract == nil }
    /// R-4.1: whether sessions include it (a contract emptied by migrations stays, so they can be
    /// reversed); a commitment line is not configured (its bundle's configuration makes it), nor
    /// a service agreement line (it names what it covers).
    public var takesPartInSessions: Bool { commitment == nil && agreement == nil && (action.takesPartInSessions || emptiedByMigration == true) }
}

/// R-3.2: the order header.
public struct OrderHeader: Hashable, Sendable, Codable {
    public var soldTo: String
    public var contact: String?
    /// Convergent orders only: other customers whose contracts take part (R-3.2).
    public var relatedCustomers: [String]
    public var productSellingDate: Day?
    public var fulfillBy: Day?
    public var source: String?
    public var subSource: String?
    /// R-10.1: trial duration in days.
    public var trialDays: Int?
    /// R-3.2: billing, shipping and site information per customer of the order.
    public var customerInformation: [CustomerOrderInformation]?

    public init(soldTo: String, contact: String? = nil, relatedCustomers: [String] = [], productSellingDate: Day? = nil,
                fulfillBy: Day? = nil, source: String? = nil, subSource: String? = nil, trialDays: Int? = nil) {
        self.soldTo = soldTo
        self.contact = contact
        self.relatedCustomers = relatedCustomers
        self.productSellingDate = productSellingDate
        self.fulfillBy = fulfillBy
        self.source = source
        self.subSource = subSource
        self.trialDays = trialDays
    }

    /// Customers whose lines the order may hold.
    public var customers: [String] { [soldTo] + relatedCustomers }
}

/// An order of any capture type (R-3.1 … R-3.5). Every change goes through a method here, which
/// enforces the rules; an illegal change throws and leaves the order as it was.
public struct Order: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public internal(set) var captureType: CaptureType
    /// The convergent order this one was generated from (R-7.1).
    public internal(set) var parentID: String?
    /// Child orders generated at submission, listed on the parent (R-7.1).
    public internal(set) var children: [ChildOrderRef] = []
    /// For a quote: the order it was converted to (R-3.7).
    public internal(set) var convertedTo: String?
    /// For an order converted from a quote: the quote.
    public internal(set) var convertedFrom: String?
    /// The day the order was first saved.
    public var orderDate: Day
    public internal(set) var header: OrderHeader
    public internal(set) var lines: [OrderLine]
    public private(set) var status: OrderStatus
    /// Holds found at the last validation (R-5.1), with their overrides.
    public private(set) var holds: [OrderHold] = []
    public internal(set) var nextLineNumber: Int
    var storedAdjustments: [PriceAdjustment]?
    var storedLinks: [ConfigurationDocument.Link]?
    var storedBulkRows: [BulkRow]?
    var storedMigrations: [OrderMigration]?
    var storedNewAccounts: [NewBillingAccount]?
    var storedBalanceChecks: [String: Decimal]?
    /// The prices as submitted, kept as they were whatever the catalog does later (R-7.1).
    public internal(set) var submittedPricing: OrderPricing?
    /// R-7.3: the day fulfillment completed; R-10.2: the end of the trial period.
    public internal(set) var completedOn: Day?
    public internal(set) var trialEndsOn: Day?
    /// R-7.3 – R-7.5: provisioning messages, synchronisation with other orders, jeopardy.
    public internal(set) var fulfillment: OrderFulfillment?
    /// R-4.1: the configuration sessions opened on the order, oldest first (at most one is open).
    public private(set) var sessions: [String]?

    enum CodingKeys: String, CodingKey {
        case id, captureType, parentID, children, convertedTo, convertedFrom, orderDate, header, lines, status, holds, nextLineNumber
        case storedAdjustments = "adjustments", storedLinks = "links", storedBulkRows = "bulkRows", submittedPricing, completedOn, trialEndsOn
        case fulfillment, storedMigrations = "migrations", sessions, storedNewAccounts = "newAccounts", storedBalanceChecks = "balanceChecks"
    }

    /// R-4.1: a configuration session was opened on the order (one that can change).
    public mutating func recordSessionOpened(_ session: String) throws(OrderError) {
        try requireEditable()
        sessions = (sessions ?? []) + [session]
    }

    /// Relies-on links between the order's component line items, kept by sessions (R-4.3).
    public var links: [ConfigurationDocument.Link] { storedLinks ?? [] }

    public init(id: String, captureType: CaptureType, orderDate: Day, header: OrderHeader) throws(OrderError) {
        if !captureType.allowsRelatedCustomers, !header.relatedCustomers.isEmpty {
            throw OrderError(.notAllowedForCaptureType, "only convergent orders have related customers", field: "relatedCustomers")
        }
        self.id = id
        self.captureType = captureType
        self.orderDate = orderDate
        self.header = header
        lines = []
        status = .draft
        nextLineNumber = 1
    }

    public func line(_ number: Int) throws(OrderError) -> OrderLine {
        guard let line = lines.first(where: { $0.number == number }) else {
            throw OrderError(.unknownLine, "order \(id) has no line \(number)", field: "line")
        }
        return line
    }

    /// R-3.4: the order's aggregate configuration status: its worst line.
    public var configurationStatus: LineConfigurationStatus {
        let order: [LineConfigurationStatus] = [.invalid, .invalidated, .notValidated, .validWithWarning, .valid]
        return order.first { status in lines.contains { $0.configurationStatus == status } } ?? .valid
    }

    // MARK: Lines

    /// Adds a line for a top-level product (new) or an installed contract (service), as the
    /// capture type allows (R-3.1, R-3.3). With related customers, a new contract names its owner;
    /// a service line belongs to the installed contract's owner, who must be a customer of the order.
    /// A bulk service-management parent takes template lines (a product and an action): its rows
    /// name the installed contracts.
    @discardableResult
    public mutating func addLine(product: ProductID, action: LineAction = .add, owner: String? = nil, installed: InstalledContract? = nil,
                                 scope: String? = nil, reason: String? = nil, catalog: CatalogIndex) throws(OrderError) -> OrderLine {
        try requireEditable()
        if let scope {
            // R-3.3: suspend or resume one installed product of the contract and what is below it.
            guard action == .suspend || action == .resume else {
                throw OrderError(.notAllowedForCaptureType, "only suspend and resume take one installed product of the contract, not \(action.rawValue)", field: "installedProduct")
            }
            guard let installed, let found = installed.product(scope)?.component else {
                throw OrderError(.unknownComponent, "\(scope) is not an installed product of \(installed?.id ?? "the installed contract named")", field: "installedProduct")
            }
            guard found.status != .disconnected, found.status != .pendingDisconnection else {
                throw OrderError(.unknownComponent, "\(scope) is \(found.status.rawValue)", field: "installedProduct")
            }
        }
        guard let index = catalog.index[product] else {
            throw OrderError(.notTopLevel, "no product '\(product)' in catalog \(catalog.catalog.header.version)", field: "product")
        }
        // R-3.3: only top-level components start a line.
        guard catalog.parents[index].isEmpty, catalog.products[index].kind != .functional else {
            throw OrderError(.notTopLevel, "\(product) is a component of a bundle; only top-level products start a line", field: "product")
        }
        guard catalog.products[index].kind != .commitment else {
            if let installed {
                // R-9.2, R-9.4: an installed commitment changes through its commitment contract.
                throw OrderError(.commitmentLine, "installed contract \(installed.id) is an installed commitment: change its term or coverage on commitment contract \(installed.commitmentContract ?? "?") (R-9.4)", field: "installedContract")
            }
            throw OrderError(.commitmentLine, "\(product) is a commitment: its line is added by the triggering rules of what the order configures (R-9.1)", field: "product")
        }
        if let installed {
            let serviced = Set(lines.compactMap(\.installedContract)).union([installed.id])
            guard captureType.installedContracts.contains(serviced.count) else {
                let allowed = captureType.installedContracts.upperBound == 0 ? "no installed contract" : "exactly one installed contract"
                throw OrderError(.notAllowedForCaptureType, "a \(captureType.rawValue) order services \(allowed)", field: "installedContract")
            }
            guard action != .add else {
                throw OrderError(.notAllowedForCaptureType, "an installed contract is serviced with change, disconnect, suspend, suspend/change or resume", field: "action")
            }
            guard installed.product == product else {
                throw OrderError(.notTopLevel, "installed contract \(installed.id) is a \(installed.product), not \(product)", field: "product")
            }
            guard header.customers.contains(installed.customer) else {
                throw OrderError(.unknownCustomer, "installed contract \(installed.id) belongs to \(installed.customer), who is not a customer of \(id)", field: "installedContract")
            }
            if let owner, owner != installed.customer {
                throw OrderError(.ownerFixed, "installed contract \(installed.id) belongs to \(installed.customer), not \(owner)", field: "owner")
            }
        } else if captureType == .bulkServiceManagement {
            guard action != .add else {
                throw OrderError(.notAllowedForCaptureType, "a bulk service-management order's lines say what to do with each row's installed contract: change, disconnect, suspend, suspend/change or resume", field: "action")
            }
        } else {
            guard captureType.ordersNew else {
                throw OrderError(.notAllowedForCaptureType, "a \(captureType.rawValue) order services installed contracts only", field: "installedContract")
            }
            guard action == .add else {
                throw OrderError(.notAllowedForCaptureType, "a new product is ordered with action add, not \(action.rawValue)", field: "action")
            }
        }
        let customer: String
        if let installed {
            customer = installed.customer
        } else if let owner {
            guard header.customers.contains(owner) else {
                throw OrderError(.unknownCustomer, "\(owner) is neither the sold-to nor a related customer of \(id)", field: "owner")
            }
            customer = owner
        } else if !header.relatedCustomers.isEmpty {
            throw OrderError(.ownerRequired, "this order has related customers: say which customer owns the new contract", field: "owner")
        } else {
            customer = header.soldTo
        }
        var line = OrderLine(number: nextLineNumber, action: action, reason: reason, customer: customer, product: product,
                             installedContract: installed?.id, configurationStatus: .notValidated, configuration: nil,
                             status: .open, clonedFrom: nil, site: installed == nil ? information(for: customer).site : nil)
        line.scope = scope
        // R-8.1: a new contract of a billing-account selectable product carries its rows; R-8.7:
        // a change of an installed one carries the rows it is installed with, to change them.
        if let installed {
            if action == .change || action == .suspendChange { line.takeBilling(of: installed, catalog: catalog) }
        } else {
            line.billingRows = catalog.products[index].billing?.lineRows
        }
        // R-6.3: a service agreement line covers installed products the agent names.
        if catalog.products[index].kind == .agreement { line.agreement = LineAgreement(covers: []) }
        nextLineNumber += 1
        lines.append(line)
        return line
    }

    /// R-3.5: copies a bundle line with its configuration; the copy is Invalidated, and so is
    /// every validated line (R-3.4: cloning a bundle line).
    @discardableResult
    public mutating func cloneLine(_ number: Int) throws(OrderError) -> OrderLine {
        try requireEditable()
        var copy = try line(number)
        guard copy.isNew else {
            throw OrderError(.notAllowedForCaptureType, "line \(number) services installed contract \(copy.installedContract!); only new bundles are cloned", field: "line")
        }
        if let migration = migrations.first(where: { $0.sourceLine == number || $0.targetLine == number }) {
            throw OrderError(.migrationInProgress, "line \(number) holds what migration \(migration.migration.id) brought; a copy would hold it twice", field: "line")
        }
        copy.number = nextLineNumber
        copy.clonedFrom = number
        copy.status = .open
        // The copy's component line items get keys of their own, so both lines can share a session.
        copy.configuration = copy.configuration.map { $0.rekeyed(root: "L\(copy.number)", suffix: "-L\(copy.number)") }
        // R-3.5: the relies-on links inside the contract are copied with it (the copy would be Invalid without them).
        if let original = try line(number).configuration {
            let keys = Set(original.root.allKeys)
            let key = original.rekeying(root: "L\(copy.number)", suffix: "-L\(copy.number)")
            let copied = links.filter { keys.contains($0.from) && keys.contains($0.to) }.map { ConfigurationDocument.Link(from: key($0.from), to: key($0.to)) }
            if !copied.isEmpty { storedLinks = links + copied }
        }
        nextLineNumber += 1
        invalidateAll()
        copy.configurationStatus = .invalidated
        lines.append(copy)
        return copy
    }

    /// Takes a line out of the order (its earlier versions stay in the order's history);
    /// R-3.4: every validated line is Invalidated. R-3.6: a contract whose structure has links
    /// going out of it (a relies-on link to another line) cannot be removed until they are
    /// unlinked; nor a line whose contract takes part in a migration until it is reversed.
    public mutating func removeLine(_ number: Int) throws(OrderError) {
        try requireEditable()
        let removed = try line(number)
        if let commitment = removed.commitment {
            throw OrderError(.commitmentLine, "line \(number) is the commitment line \(commitment.commits)'s configuration brings (R-9.1); change that line instead", field: "line")
        }
        if let migration = migrations.first(where: { $0.sourceLine == number || $0.targetLine == number }) {
            throw OrderError(.migrationInProgress, "line \(number) takes part in migration \(migration.migration.id) (\(migration.migration.action)); reverse it in a session first", field: "line")
        }
        let keys = removed.configuration?.root.allKeys ?? []
        if let outgoing = links.first(where: { keys.contains($0.from) != keys.contains($0.to) }) {
            throw OrderError(.linkedOut, "line \(number) has a relies-on link \(outgoing.from) → \(outgoing.to) with another line; unlink it in a session first", field: "line")
        }
        lines.removeAll { $0.number == number || $0.commitment?.commits == number }
        storedLinks = links.filter { !keys.contains($0.from) }.nilIfEmpty
        invalidateAll()
    }

    /// R-3.3: the owner of a new contract on an order with related customers cannot change;
    /// otherwise changing a line's customer invalidates the configuration (R-3.4).
    public mutating func setCustomer(_ customer: String, ofLine number: Int) throws(OrderError) {
        try requireEditable()
        let current = try line(number)
        guard header.customers.contains(customer) else {
            throw OrderError(.unknownCustomer, "\(customer) is neither the sold-to nor a related customer of \(id)", field: "customer")
        }
        guard customer != current.customer else { return }
        if current.isNew, !header.relatedCustomers.isEmpty {
            throw OrderError(.ownerFixed, "the owner of a new contract on an order with related customers cannot be changed", field: "customer")
        }
        lines[lines.firstIndex { $0.number == number }!].customer = customer
        invalidateAll()
    }

    /// R-3.4, R-11.2: changing the product selling date invalidates the order.
    public mutating func setProductSellingDate(_ day: Day?) throws(OrderError) {
        try requireEditable()
        guard day != header.productSellingDate else { return }
        header.productSellingDate = day
        invalidateAll()
    }

    /// R-10.1: the trial duration can be raised, never lowered, until submission.
    public mutating func setTrialDays(_ days: Int) throws(OrderError) {
        guard status == .draft || status == .held else {
            throw OrderError(.notEditable, "the trial duration is read-only once the order is submitted", field: "trialDays")
        }
        try TrialSetup.checkDays(days)
        if let current = header.trialDays, days < current {
            throw OrderError(.trialLowered, "the trial duration can be raised, not lowered (it is \(current) days)", field: "trialDays")
        }
        header.trialDays = days
    }

    /// Records a session's verification (or a save: `.notValidated`) for a line, with its tree.
    public mutating func recordConfiguration(_ configuration: ConfigurationDocument.Contract?, status: LineConfigurationStatus,
                                             ofLine number: Int) throws(OrderError) {
        try requireEditable()
        let i = lines.firstIndex { $0.number == number }
        guard let i else { throw OrderError(.unknownLine, "order \(id) has no line \(number)", field: "line") }
        lines[i].configuration = configuration
        lines[i].configurationStatus = status
    }

    /// Keeps the relies-on links a session ended with (R-4.3): those between the order's line items.
    public mutating func recordLinks(_ links: [ConfigurationDocument.Link]) throws(OrderError) {
        try requireEditable()
        storedLinks = links.isEmpty ? nil : links
    }

    // MARK: Holds

    /// Stores what a validation found (R-5.1). A hold overridden before and found again keeps
    /// its override; a draft with a blocking hold becomes held, a held order without one returns to draft.
    public mutating func recordHolds(_ found: [OrderHold]) throws(OrderError) {
        try requireEditable()
        holds = found.map { hold in
            guard let earlier = holds.first(where: { $0.code == hold.code && $0.overriddenBy != nil }) else { return hold }
            var kept = hold
            kept.overriddenBy = earlier.overriddenBy
            kept.overrideReason = earlier.overrideReason
            kept.overriddenAt = earlier.overriddenAt
            return kept
        }
        let blocked = holds.contains(where: \.isBlocking)
        if blocked, status == .draft { try move(to: .held) }
        if !blocked, status == .held { try move(to: .draft) }
    }

    /// Overrides a hold that may be overridden (SELCON as delivered), recording who and why.
    public mutating func overrideHold(_ code: HoldCode, by user: String, reason: String, at: Date) throws {
        guard let i = holds.firstIndex(where: { $0.code == code }) else {
            throw HoldError(.unknownHold, "order \(id) has no hold \(code.rawValue)", field: "code")
        }
        guard holds[i].overridable else {
            throw HoldError(.holdNotOverridable, "hold \(code.rawValue) cannot be overridden: \(holds[i].resolution)", field: "code")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HoldError(.overrideReasonRequired, "say why the hold is overridden", field: "reason")
        }
        holds[i].overriddenBy = user
        holds[i].overrideReason = reason
        holds[i].overriddenAt = at
        if !holds.contains(where: \.isBlocking), status == .held { try move(to: .draft) }
    }

    // MARK: Status

    /// Moves the order along its transition table (`OrderStatus.transitions`).
    public mutating func move(to next: OrderStatus) throws(OrderError) {
        status = try status.transition(to: next)
    }

    func requireEditable() throws(OrderError) {
        guard status.isEditable else {
            throw OrderError(.notEditable, "order \(id) is \(status.rawValue); it can no longer be changed", field: "status")
        }
    }

    private mutating func invalidateAll() {
        for i in lines.indices { lines[i].configurationStatus = lines[i].configurationStatus.invalidated }
    }
}

extension Array {
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
