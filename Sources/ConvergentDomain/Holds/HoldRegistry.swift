import Foundation

/// R-5.2: every hold code; the registry below holds one definition, with its check, for each.
public enum HoldCode: String, Hashable, Sendable, Codable, CaseIterable {
    case COV, MLCMV, MLBHC, MLBAV, MLCTV, MLCTL
    case RADRBL, RNBILC, RNBILL, RADRSH, RNSHPC, RNSHIP, RNSITC, RADRSI, RCRCD, RNOCC, RNOSIT, RPSITC, RPSITE, RSHPDT
    case SELCON, SELPER
    /// R-9.1: a line triggers several commitments and none is chosen.
    case CMTCHO
    /// R-6.3: a service agreement line covers nothing.
    case AGRCOV
    case BAIMIX, BAPRH, BAPRL, BANAN, BANAH, BANAL, BANRM, BADMC, BAPND, BAPNL, BABAL, BARNS, BANBT
    case OBSOLETE = "obsolete-expired"
}

/// A hold found on an order (R-5.1): data on the order, not an error.
public struct OrderHold: Hashable, Sendable, Codable {
    public var code: HoldCode
    public var message: String
    public var resolution: String
    public var lines: [Int]
    public var relatedOrders: [String]
    public var overridable: Bool
    /// What exactly is wrong, for the holds that can name it (MLBAV: the component and the missing
    /// account or customer; obsolete/expired: the element and its date).
    public var details: [String]?
    public var overriddenBy: String?
    public var overrideReason: String?
    public var overriddenAt: Date?

    public var isBlocking: Bool { overriddenBy == nil }
}

/// What a hold check reads.
public struct HoldContext: Sendable {
    public var order: Order { didSet { pricing = Pricing.price(order, catalog: catalog) } }
    public var catalog: CatalogIndex
    /// The reference date of selling periods: the order's product selling date, else today (R-11.1).
    public var referenceDate: Day

    /// COV: per installed contract, the other orders already submitted and not finished that touch it.
    public var concurrentOrders: [String: [String]]
    /// Today: credit cards must not have expired.
    public var today: Day
    /// The order's prices (which customers have one-time and recurring charges).
    public private(set) var pricing: OrderPricing
    /// MLBAV: the installed contracts the order's migrations leave, and the customers that have
    /// an active billing account.
    public var installed: [String: InstalledContract]
    public var customersWithActiveAccount: Set<String>
    /// R-8: the accounts, customers and setup the BA… holds read; nil: they are not checked.
    public var billing: BillingHoldFacts?

    public init(order: Order, catalog: CatalogIndex, today: Day, concurrentOrders: [String: [String]] = [:],
                installed: [String: InstalledContract] = [:], customersWithActiveAccount: Set<String> = []) {
        self.order = order
        self.catalog = catalog
        self.today = today
        self.concurrentOrders = concurrentOrders
        self.installed = installed
        self.customersWithActiveAccount = customersWithActiveAccount
        referenceDate = order.header.productSellingDate ?? today
        pricing = Pricing.price(order, catalog: catalog)
    }

    /// An installed product of the order's installed contracts, wherever it is now: a component
    /// that migrates twice (A → B, then B → C) is still found in A, where it is installed.
    public func installedProduct(_ id: String) -> InstalledProduct? {
        for contract in installed.values.sorted(by: { $0.id < $1.id }) {
            if let found = contract.product(id) { return found.component }
        }
        return nil
    }

    /// MLBAV: why a migration across contracts has no billing account; nil when it has one.
    public func missingBillingAccount(_ m: OrderMigration) -> String? {
        guard m.migration.crossContract else { return nil }
        if m.migration.crossCustomer {
            // R-6.3: the new owner's account chosen to pay it (Billed To), active.
            guard let account = m.billedTo else {
                return "no account of \(m.migration.targetCustomer) is chosen to pay \(m.migration.component) (Billed To, migration \(m.migration.id))"
            }
            if let found = billing?.facts.accounts[account], found.status != .active {
                return "account \(account), chosen to pay \(m.migration.component) for \(m.migration.targetCustomer), is \(found.status.rawValue.lowercased())"
            }
            return nil
        }
        if installedProduct(m.migration.component)?.billingAccount == nil {
            return "installed component \(m.migration.component) has no billing account in the installed base"
        }
        if !customersWithActiveAccount.contains(m.migration.targetCustomer) {
            return "customer \(m.migration.targetCustomer), the new owner of \(m.migration.component), has no active billing account"
        }
        return nil
    }

    /// The new components of a line's tree (the line's product itself when it has no tree yet).
    public func newComponents(of line: OrderLine) -> [ConfigurationDocument.Component] {
        guard let root = line.configuration?.root else { return line.isNew ? [.init(id: "L\(line.number)", product: line.product)] : [] }
        var found: [ConfigurationDocument.Component] = []
        func walk(_ c: ConfigurationDocument.Component) {
            if c.installedStatus == nil, c.removed != true { found.append(c) }
            (c.components ?? []).forEach(walk)
        }
        walk(root)
        return found
    }

    /// The line ships a device (R-5.2 shipping holds).
    public func shipsDevice(_ line: OrderLine) -> Bool {
        newComponents(of: line).contains { catalog.product($0.product)?.kind == .device }
    }

    /// The line has something a technician installs at a site (R-5.2 site holds).
    public func needsInstallation(_ line: OrderLine) -> Bool {
        newComponents(of: line).contains { $0.attributes?["installation"] == "technician" }
    }

    /// R-11.4, R-11.5: the latest selling-period start among future elements; nil when none is future.
    public func latestFutureStart() -> Day? {
        newElements().filter { $0.selling.status == .future }.compactMap { $0.selling.period?.start }.max()
    }

    /// Every new element of every line with its selling status on the reference date (R-11.6).
    public func newElements() -> [(line: Int, product: ProductID, selling: SellingInfo)] {
        order.sellingStatus(catalog: catalog, referenceDate: referenceDate).map { ($0.line, $0.product, $0.selling) }
    }
}

extension Order {
    /// COV: whether another order's work on installed contracts competes with this order's — not
    /// the order itself, its parent or its children, nor a parent whose children carry its work.
    public func competes(with other: Order) -> Bool {
        other.id != id && other.id != parentID && other.parentID != id && other.children.isEmpty
    }
}

/// One hold: its code, the capture types it applies to, what it says, how to resolve it, whether
/// it can be overridden, and its check (R-5.1). One code, one definition.
public struct HoldDefinition: Sendable {
    public var code: HoldCode
    public var captureTypes: Set<CaptureType>
    public var message: String
    public var resolution: String
    public var overridable: Bool
    /// Lines (and related orders) that violate the hold; nil when it holds.
    public var check: @Sendable (HoldContext) -> (lines: [Int], relatedOrders: [String])?
    /// What exactly is wrong, when the hold is raised and can say more than its message.
    public var details: (@Sendable (HoldContext) -> [String])? = nil
}

public enum HoldRegistry {
    /// Bulk parents are checked as the kind of order their children will be.
    static let so: Set<CaptureType> = [.simple, .bulk]
    static let sm: Set<CaptureType> = [.serviceManagement, .bulkServiceManagement]
    static let co: Set<CaptureType> = [.convergent]

    /// R-5.2 related-information holds of convergent orders: for each customer with new lines,
    /// what its simple child order will need. Billing information is needed for the kind of
    /// charges the customer has (recurring, one-time); shipping when a line ships a device;
    /// an installation site when a line has a technician installation, and then a product site
    /// on that line.
    static func related(_ code: HoldCode, _ what: String, fix: String,
                        _ missing: @escaping @Sendable (HoldContext, OrderLine, CustomerOrderInformation) -> Bool) -> HoldDefinition {
        HoldDefinition(
            code: code, captureTypes: co,
            message: "Missing for a customer of the order: \(what).",
            resolution: "Fill in \(fix) for that customer (POST /orders/{id}/information), then validate or submit again.",
            overridable: false,
            check: { ctx in
                let lines = ctx.order.lines.filter { $0.isNew && missing(ctx, $0, ctx.order.information(for: $0.customer)) }.map(\.number)
                return lines.isEmpty ? nil : (lines, [])
            })
    }

    static func billing(_ ctx: HoldContext, _ line: OrderLine, _ info: CustomerOrderInformation,
                        _ missing: (BillingInformation?) -> Bool) -> Bool {
        let charges = ctx.pricing.lines.first { $0.line == line.number }?.totals ?? []
        return (charges.contains { $0.recurring != 0 } && missing(info.recurringBilling))
            || (charges.contains { $0.oneTime != 0 } && missing(info.nonrecurringBilling))
    }

    static let relatedInformation: [HoldDefinition] = [
        related(.RNBILL, "bill-to customer", fix: "the bill-to customer of its recurring or nonrecurring billing") { ctx, line, info in
            billing(ctx, line, info) { $0?.customer == nil } },
        related(.RNBILC, "bill-to contact", fix: "the bill-to contact") { ctx, line, info in
            billing(ctx, line, info) { $0?.contact == nil } },
        related(.RADRBL, "bill-to address", fix: "the bill-to address") { ctx, line, info in
            billing(ctx, line, info) { $0?.address == nil } },
        related(.RNOCC, "credit card, where payment is by credit card", fix: "a credit card, or another payment method") { ctx, line, info in
            billing(ctx, line, info) { $0?.paymentMethod == .creditCard && $0?.creditCard == nil } },
        related(.RCRCD, "a usable credit card (four digits, not expired)", fix: "a valid credit card") { ctx, line, info in
            billing(ctx, line, info) { b in b?.paymentMethod == .creditCard && b?.creditCard.map { !$0.isUsable(on: ctx.today) } == true } },
        related(.RNSHIP, "ship-to customer for devices", fix: "the ship-to customer") { ctx, line, info in
            ctx.shipsDevice(line) && info.shipping?.customer == nil },
        related(.RNSHPC, "ship-to contact for devices", fix: "the ship-to contact") { ctx, line, info in
            ctx.shipsDevice(line) && info.shipping?.contact == nil },
        related(.RADRSH, "ship-to address for devices", fix: "the ship-to address") { ctx, line, info in
            ctx.shipsDevice(line) && info.shipping?.address == nil },
        related(.RSHPDT, "shipment date for devices", fix: "the shipment date") { ctx, line, info in
            ctx.shipsDevice(line) && info.shipping?.shipmentDate == nil },
        related(.RNOSIT, "installation site", fix: "the installation site") { ctx, line, info in
            ctx.needsInstallation(line) && (info.site?.address == nil && info.site?.contact == nil) },
        related(.RADRSI, "site address", fix: "the site address") { ctx, line, info in
            ctx.needsInstallation(line) && info.site?.contact != nil && info.site?.address == nil },
        related(.RNSITC, "site contact", fix: "the site contact") { ctx, line, info in
            ctx.needsInstallation(line) && info.site?.address != nil && info.site?.contact == nil },
        related(.RPSITE, "product site of a line installed by a technician", fix: "the line's product site (POST /orders/{id}/lines/{line}/site)") { ctx, line, _ in
            ctx.needsInstallation(line) && line.site?.address == nil },
        related(.RPSITC, "contact at a line's product site", fix: "the contact of the line's product site") { ctx, line, _ in
            ctx.needsInstallation(line) && line.site?.address != nil && line.site?.contact == nil },
    ]

    public static let standard: [HoldDefinition] = relatedInformation + splitBilling + [
        HoldDefinition(
            code: .COV, captureTypes: so.union(sm),
            message: "Another order already submitted for fulfillment and not finished touches the same multilevel contract.",
            resolution: "Wait until the related orders are completed, then submit again.",
            overridable: false,
            check: { ctx in
                let lines = ctx.order.lines.filter { $0.installedContract.map { !(ctx.concurrentOrders[$0] ?? []).isEmpty } ?? false }
                guard !lines.isEmpty else { return nil }
                let related = Set(lines.flatMap { ctx.concurrentOrders[$0.installedContract!] ?? [] }).sorted()
                return (lines.map(\.number), related)
            }),
        HoldDefinition(
            code: .OBSOLETE, captureTypes: co.union(so).union(sm),
            message: "The queued order holds an element retired or expired since it was queued.",
            resolution: "Replace the retired or expired element with one sold on the execution date, or cancel the order.",
            overridable: false,
            check: { ctx in
                guard ctx.order.status == .queued else { return nil }
                let lines = Set(ctx.newElements().filter { $0.selling.obsoleteSince != nil || $0.selling.status == .past }.map(\.line)).sorted()
                return lines.isEmpty ? nil : (lines, [])
            },
            details: { ctx in
                ctx.newElements().compactMap { e in
                    if let since = e.selling.obsoleteSince { return "line \(e.line): \(e.product) retired (obsolete) since \(since)" }
                    guard e.selling.status == .past else { return nil }
                    return "line \(e.line): \(e.product) expired (its selling period ended\(e.selling.period?.end.map { " on \($0)" } ?? ""))"
                }
            }),
        HoldDefinition(
            code: .MLBHC, captureTypes: co,
            message: "No order line belongs to the sold-to customer of the header.",
            resolution: "Include a contract owned by the header's customer in the order, or replace the customer on the header.",
            overridable: false,
            check: { ctx in ctx.order.lines.contains { $0.customer == ctx.order.header.soldTo } ? nil : ([], []) }),
        HoldDefinition(
            code: .MLCMV, captureTypes: co,
            message: "A component migrates in a cycle within the order (A → B → … → A).",
            resolution: "Reverse the migrations that bring the component back where it started (POST /sessions/{id}/operations, reverseMigration), then validate again.",
            overridable: false,
            check: { ctx in
                let cycles = ctx.order.migrationCycles()
                return cycles.isEmpty ? nil : (Set(cycles.flatMap { [$0.sourceLine, $0.targetLine] }).sorted(), [])
            }),
        HoldDefinition(
            code: .MLBAV, captureTypes: co,
            message: "A migrated installed component has no billing account while migrating to another contract.",
            resolution: "Give the component's owner an active billing account; across customers, choose the new owner's active account that pays it (POST /orders/{id}/migrations/{migration}/billed-to). Then validate again.",
            overridable: false,
            check: { ctx in
                let bad = ctx.order.migrations.filter { ctx.missingBillingAccount($0) != nil }
                return bad.isEmpty ? nil : (Set(bad.flatMap { [$0.sourceLine, $0.targetLine] }).sorted(), [])
            },
            details: { ctx in ctx.order.migrations.compactMap { ctx.missingBillingAccount($0) } }),
        HoldDefinition(
            // A convergent parent checks every bundle of the order: its children are never checked (R-5.1).
            code: .MLCTV, captureTypes: co.union(so).union(sm),
            message: "A multilevel bundle's configuration is not Valid or Valid with Warning.",
            resolution: "Reconfigure the bundle until it is valid, then validate or submit again.",
            overridable: false,
            check: { ctx in
                // R-3.8: disconnect, suspend and resume need no configuration.
                let bad = ctx.order.lines.filter { line in
                    let bundle = ctx.catalog.index[line.product].map { !ctx.catalog.memberships[$0].isEmpty } ?? false
                    return bundle && line.action.takesPartInSessions && ![.valid, .validWithWarning].contains(line.configurationStatus)
                }.map(\.number)
                return bad.isEmpty ? nil : (bad, [])
            }),
        HoldDefinition(
            code: .AGRCOV, captureTypes: co.union(so),
            message: "A service agreement line covers no installed product.",
            resolution: "Name the installed products the agreement covers (POST /orders/{id}/lines/{line}/agreement {\"covers\": […]}), then validate or submit again.",
            overridable: false,
            check: { ctx in
                let bad = ctx.order.agreementLines.filter { $0.agreement?.covers.isEmpty ?? true }.map(\.number)
                return bad.isEmpty ? nil : (bad, [])
            }),
        HoldDefinition(
            code: .CMTCHO, captureTypes: co.union(so),
            message: "A bundle's configuration triggers several commitments and none is chosen.",
            resolution: "Choose the commitment the line takes (POST /orders/{id}/lines/{line}/commitment {\"commitment\": …}), then validate or submit again.",
            overridable: false,
            check: { ctx in
                let bad = ctx.order.lines.filter { $0.commitmentChoices != nil }.map(\.number)
                return bad.isEmpty ? nil : (bad, [])
            },
            details: { ctx in
                ctx.order.lines.compactMap { line in
                    line.commitmentChoices.map { "line \(line.number) triggers \($0.map(\.rawValue).joined(separator: ", "))" }
                }
            }),
        HoldDefinition(
            code: .MLCTL, captureTypes: so.union(sm),
            message: "A line holds a multilevel component that is not top level and belongs to no bundle.",
            resolution: "Remove the component from the order lines, then submit again.",
            overridable: false,
            check: { ctx in
                let bad = ctx.order.lines.filter { line in
                    ctx.catalog.index[line.product].map { !ctx.catalog.parents[$0].isEmpty } ?? false
                }.map(\.number)
                return bad.isEmpty ? nil : (bad, [])
            }),
        HoldDefinition(
            code: .SELPER, captureTypes: co.union(so).union(sm),
            message: "A product's selling period ended before the product selling date (or today).",
            resolution: "Remove the past element and choose one sold now, or back-date the product selling date into its selling period and validate again.",
            overridable: false,
            check: { ctx in
                let lines = Set(ctx.newElements().filter { $0.selling.status == .past }.map(\.line)).sorted()
                return lines.isEmpty ? nil : (lines, [])
            }),
        HoldDefinition(
            code: .SELCON, captureTypes: co.union(so).union(sm),
            message: "The order holds products sold now and products sold only in the future.",
            resolution: "Split it into a current and a future-dated order, or let it be fulfilled when the last future element becomes available (its fulfill-by date).",
            overridable: true,
            check: { ctx in
                let elements = ctx.newElements()
                guard elements.contains(where: { $0.selling.status == .current }),
                      elements.contains(where: { $0.selling.status == .future }) else { return nil }
                return (Set(elements.filter { $0.selling.status == .future }.map(\.line)).sorted(), [])
            }),
    ]

    /// Runs every check of the order's capture type (R-5.1). Convergent child orders are not
    /// checked: holds run on the parent only.
    public static func holds(for context: HoldContext, registry: [HoldDefinition] = standard) -> [OrderHold] {
        registry.filter { $0.captureTypes.contains(context.order.captureType) }.compactMap { definition in
            guard let found = definition.check(context) else { return nil }
            let details = definition.details?(context) ?? []
            return OrderHold(code: definition.code, message: definition.message, resolution: definition.resolution, lines: found.lines,
                             relatedOrders: found.relatedOrders, overridable: definition.overridable, details: details.isEmpty ? nil : details)
        }
    }
}
