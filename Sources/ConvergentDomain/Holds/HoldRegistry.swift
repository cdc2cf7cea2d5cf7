import Foundation

/// every hold code. The registry below holds a check for the codes that can be checked
/// with what orders carry so far; the others join it with their issues (billing, migrations,
/// installed base, per-customer order information).
public enum HoldCode: String, Hashable, Sendable, Codable, CaseIterable {
    case COV, MLCMV, MLBHC, MLBAV, MLCTV, MLCTL
    case RADRBL, RNBILC, RNBILL, RADRSH, RNSHPC, RNSHIP, RNSITC, RADRSI, RCRCD, RNOCC, RNOSIT, RPSITC, RPSITE, RSHPDT
    case SELCON, SELPER
    case BAIMIX, BAPRH, BAPRL, BANAN, BANAH, BANAL, BANRM, BADMC, BAPND, BAPNL, BABAL, BARNS, BANBT
    case OBSOLETE = "obsolete-expired"
}

/// A hold found on an order: data on the order, not an error.
public struct OrderHold: Hashable, Sendable, Codable {
    public var code: HoldCode
    public var message: String
    public var resolution: String
    public var lines: [Int]
    public var relatedOrders: [String]
    public var overridable: Bool
    public var overriddenBy: String?
    public var overrideReason: String?
    public var overriddenAt: Date?

    public var isBlocking: Bool { overriddenBy == nil }
}

/// What a hold check reads.
public struct HoldContext: Sendable {
    public var order: Order
    public var catalog: CatalogIndex
    /// The reference date of selling periods: the order's product selling date, else today.
    public var referenceDate: Day

    public init(order: Order, catalog: CatalogIndex, today: Day) {
        self.order = order
        self.catalog = catalog
        referenceDate = order.header.productSellingDate ?? today
    }

    /// the latest selling-period start among future elements; nil when none is future.
    public func latestFutureStart() -> Day? {
        newElements().filter { $0.selling.status == .future }.compactMap { $0.selling.period?.start }.max()
    }

    /// Every new element of every line: the line's product and its configured new components,
    /// with their selling status on the reference date.
    public func newElements() -> [(line: Int, product: ProductID, selling: SellingInfo)] {
        var found: [(Int, ProductID, SellingInfo)] = []
        for line in order.lines where line.isNew {
            guard let root = catalog.index[line.product] else { continue }
            found.append((line.number, line.product, catalog.sellingInfo(of: root, under: nil, on: referenceDate)))
            func walk(_ component: ConfigurationDocument.Component, parent: Int) {
                guard let p = catalog.index[component.product] else { return }
                if component.installedStatus == nil {
                    found.append((line.number, component.product, catalog.sellingInfo(of: p, under: parent, on: referenceDate)))
                }
                for child in component.components ?? [] { walk(child, parent: p) }
            }
            for child in line.configuration?.root.components ?? [] { walk(child, parent: root) }
        }
        return found
    }
}

/// One hold: its code, the capture types it applies to, what it says, how to resolve it, whether
/// it can be overridden, and its check. One code, one definition.
public struct HoldDefinition: Sendable {
    public var code: HoldCode
    public var captureTypes: Set<CaptureType>
    public var message: String
    public var resolution: String
    public var overridable: Bool
    /// Lines (and related orders) that violate the hold; nil when it holds.
    public var check: @Sendable (HoldContext) -> (lines: [Int], relatedOrders: [String])?
}

public enum HoldRegistry {
    static let so: Set<CaptureType> = [.simple]
    static let sm: Set<CaptureType> = [.serviceManagement]
    static let co: Set<CaptureType> = [.convergent]

    public static let standard: [HoldDefinition] = [
        HoldDefinition(
            code: .MLBHC, captureTypes: co,
            message: "No order line belongs to the sold-to customer of the header.",
            resolution: "Include a contract owned by the header's customer in the order, or replace the customer on the header.",
            overridable: false,
            check: { ctx in ctx.order.lines.contains { $0.customer == ctx.order.header.soldTo } ? nil : ([], []) }),
        HoldDefinition(
            code: .MLCTV, captureTypes: so.union(sm),
            message: "A multilevel bundle's configuration is not Valid or Valid with Warning.",
            resolution: "Reconfigure the bundle until it is valid, then validate or submit again.",
            overridable: false,
            check: { ctx in
                let bad = ctx.order.lines.filter { line in
                    let bundle = ctx.catalog.index[line.product].map { !ctx.catalog.memberships[$0].isEmpty } ?? false
                    return bundle && ![.valid, .validWithWarning].contains(line.configurationStatus)
                }.map(\.number)
                return bad.isEmpty ? nil : (bad, [])
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

    /// Runs every check of the order's capture type. Convergent child orders are not
    /// checked: holds run on the parent only.
    public static func holds(for context: HoldContext, registry: [HoldDefinition] = standard) -> [OrderHold] {
        registry.filter { $0.captureTypes.contains(context.order.captureType) }.compactMap { definition in
            guard let found = definition.check(context) else { return nil }
            return OrderHold(code: definition.code, message: definition.message, resolution: definition.resolution, lines: found.lines,
                             relatedOrders: found.relatedOrders, overridable: definition.overridable)
        }
    }
}
