import Foundation

/// A manual price adjustment: on one line, or on the header when `line` is nil.
/// Negative amounts are discounts.
public struct PriceAdjustment: Hashable, Sendable, Codable {
    public var id: String
    public var line: Int?
    public var type: PriceType
    public var amount: Decimal
    public var currency: String
    public var reason: String
    /// On a child order: the parent's header adjustment this is a share of.
    public var shareOf: String?

    public init(id: String, line: Int?, type: PriceType, amount: Decimal, currency: String, reason: String, shareOf: String? = nil) {
        self.id = id
        self.line = line
        self.type = type
        self.amount = amount
        self.currency = currency
        self.reason = reason
        self.shareOf = shareOf
    }
}

/// Amounts in one currency: one-time and recurring.
public struct PriceTotals: Hashable, Sendable, Codable {
    public var currency: String
    public var oneTime: Decimal
    public var recurring: Decimal

    public init(currency: String, oneTime: Decimal = 0, recurring: Decimal = 0) {
        self.currency = currency
        self.oneTime = oneTime
        self.recurring = recurring
    }

    public subscript(type: PriceType) -> Decimal {
        get { type == .oneTime ? oneTime : recurring }
        set { if type == .oneTime { oneTime = newValue } else { recurring = newValue } }
    }
}

/// One priced element of a line: a new component and one of its catalog prices.
public struct PricedItem: Hashable, Sendable, Codable {
    public var instance: String
    public var product: ProductID
    public var type: PriceType
    public var amount: Decimal
    public var currency: String
}

/// an order's prices, computed from the catalog and its manual adjustments.
public struct OrderPricing: Hashable, Sendable, Codable {
    public struct Line: Hashable, Sendable, Codable {
        public var line: Int
        public var items: [PricedItem]
        public var adjustments: [PriceAdjustment]
        public var totals: [PriceTotals]
    }

    public var lines: [Line]
    public var headerAdjustments: [PriceAdjustment]
    /// Lines ordering new products, and lines servicing installed contracts (R-3.2 totals).
    public var newLines: [PriceTotals]
    public var serviceLines: [PriceTotals]
    /// Everything, header adjustments included.
    public var total: [PriceTotals]

    /// One-time and recurring charges of one customer's lines (what billing information is needed for).
    public func charges(of customer: String, in order: Order) -> (oneTime: Bool, recurring: Bool) {
        let numbers = Set(order.lines.filter { $0.customer == customer }.map(\.number))
        let items = lines.filter { numbers.contains($0.line) }.flatMap(\.totals)
        return (items.contains { $0.oneTime != 0 }, items.contains { $0.recurring != 0 })
    }
}

public enum Pricing {
    /// Prices every new element of every line (catalog prices of its product) plus the manual
    /// adjustments. Installed components are not priced again; removed ones are not priced.
    public static func price(_ order: Order, catalog: CatalogIndex) -> OrderPricing {
        var lines: [OrderPricing.Line] = []
        var newTotals: [String: PriceTotals] = [:], serviceTotals: [String: PriceTotals] = [:]
        for line in order.lines {
            var items: [PricedItem] = []
            func add(_ instance: String, _ product: ProductID) {
                for price in catalog.product(product)?.prices ?? [] {
                    items.append(PricedItem(instance: instance, product: product, type: price.type, amount: price.amount, currency: price.currency))
                }
            }
            func walk(_ c: ConfigurationDocument.Component) {
                if c.installedStatus == nil, c.removed != true { add(c.id, c.product) }
                for child in c.components ?? [] { walk(child) }
            }
            if let configuration = line.configuration { walk(configuration.root) } else if line.isNew { add("L\(line.number)", line.product) }
            let adjustments = order.adjustments.filter { $0.line == line.number }
            var totals: [String: PriceTotals] = [:]
            for item in items { totals[item.currency, default: PriceTotals(currency: item.currency)][item.type] += item.amount }
            for a in adjustments { totals[a.currency, default: PriceTotals(currency: a.currency)][a.type] += a.amount }
            for (currency, t) in totals {
                if line.isNew { newTotals.merge(currency, t) } else { serviceTotals.merge(currency, t) }
            }
            lines.append(.init(line: line.number, items: items, adjustments: adjustments, totals: totals.values.sorted { $0.currency < $1.currency }))
        }
        let header = order.adjustments.filter { $0.line == nil }
        var total = newTotals
        for (currency, t) in serviceTotals { total.merge(currency, t) }
        for a in header { total[a.currency, default: PriceTotals(currency: a.currency)][a.type] += a.amount }
        func sorted(_ d: [String: PriceTotals]) -> [PriceTotals] { d.values.sorted { $0.currency < $1.currency } }
        return OrderPricing(lines: lines, headerAdjustments: header, newLines: sorted(newTotals), serviceLines: sorted(serviceTotals), total: sorted(total))
    }

    /// a header adjustment spread over the children in proportion to their totals of the
    /// same type and currency, rounded to cents; the rounding remainder goes to the largest
    /// child (the first of equals). Children with nothing of that kind share equally when all are zero.
    public static func spread(_ amount: Decimal, over weights: [Decimal]) -> [Decimal] {
        guard !weights.isEmpty else { return [] }
        let sum = weights.reduce(0, +)
        let basis = sum == 0 ? weights.map { _ in Decimal(1) } : weights
        let basisSum = basis.reduce(0, +)
        var shares = basis.map { w -> Decimal in
            var raw = amount * w / basisSum, rounded = Decimal()
            NSDecimalRound(&rounded, &raw, 2, amount < 0 ? .up : .down) // towards zero
            return rounded
        }
        let largest = weights.indices.max { weights[$0] < weights[$1] || (weights[$0] == weights[$1] && $0 > $1) }!
        shares[largest] += amount - shares.reduce(0, +)
        return shares
    }
}

private extension Dictionary where Key == String, Value == PriceTotals {
    mutating func merge(_ currency: String, _ t: PriceTotals) {
        self[currency, default: PriceTotals(currency: currency)].oneTime += t.oneTime
        self[currency, default: PriceTotals(currency: currency)].recurring += t.recurring
    }
}

extension Order {
    /// The manual price adjustments of the order: header ones (no line) and line ones.
    public var adjustments: [PriceAdjustment] { storedAdjustments ?? [] }

    /// Adds a manual adjustment to the header or to a line, while the order can change.
    @discardableResult
    public mutating func addAdjustment(line: Int?, type: PriceType, amount: Decimal, currency: String, reason: String) throws -> PriceAdjustment {
        try requireEditable()
        if let line { _ = try self.line(line) }
        guard amount != 0 else { throw PricingError(.invalidAdjustment, "an adjustment of 0 changes nothing", field: "amount") }
        guard currency.count == 3, currency.allSatisfy({ $0.isLetter && $0.isUppercase }) else {
            throw PricingError(.invalidAdjustment, "currency should be an ISO 4217 code such as EUR", field: "currency")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PricingError(.invalidAdjustment, "say why the price is adjusted", field: "reason")
        }
        let number = (adjustments.compactMap { Int($0.id.dropFirst()) }.max() ?? 0) + 1
        let adjustment = PriceAdjustment(id: "A\(number)", line: line, type: type, amount: amount, currency: currency, reason: reason)
        storedAdjustments = adjustments + [adjustment]
        return adjustment
    }

    public mutating func removeAdjustment(_ id: String) throws {
        try requireEditable()
        guard adjustments.contains(where: { $0.id == id }) else {
            throw PricingError(.unknownAdjustment, "order \(self.id) has no adjustment '\(id)'", field: "adjustment")
        }
        storedAdjustments = adjustments.filter { $0.id != id }
    }
}

public typealias PricingError = Refusal<PricingErrorCode>

/// The codes of the pricing context: manual price adjustments.
public enum PricingErrorCode: String, RefusalCode {
    case invalidAdjustment = "invalid-adjustment"
    case unknownAdjustment = "unknown-adjustment"
}
