import ConvergentDomain
import ConvergentStore
import Foundation

/// An order as a read shows it (a query of the engine: the API, the console and the facades
/// read the same): the order with its record version and aggregate configuration status
/// read alone, also its prices and totals (as submitted, once submitted), the
/// relationships between its line items, the selling status of its elements, and, once in
/// fulfillment, its provisioning messages (R-7.5, stored apart from it). Not encodable: the API
/// sends `Wire.Order`, made from it.
public struct OrderDetail: Sendable {
    public var order: Order
    public var version: Int
    public var pricing: OrderPricing?
    public var relationships: [LineRelationship]?
    public var sellingStatus: [OrderElementSelling]?
    public var provisioningMessages: [ProvisioningMessage]?
    /// the active commitments the order would break, with their penalties (until it completes).
    public var commitmentBreaks: [CommitmentBreak]?

    /// The order alone (as lists show it).
    public init(_ v: Versioned<Order>) {
        order = v.value
        version = v.version
    }
}

extension Engine {
    /// the active commitments an order not yet completed would break, priced for the day
    /// it would complete (its fulfill-by date, else today); nil when it breaks none.
    public func commitmentBreaks(of order: Order) async throws -> [CommitmentBreak]? {
        guard ![.completed, .cancelled].contains(order.status), order.lines.contains(where: { $0.installedContract != nil }) else { return nil }
        var installed: [String: InstalledContract] = [:]
        // The contracts its lines service, its migrations leave, and its commitment changes name.
        let named = order.commitmentChanges.flatMap { ($0.add ?? []) + ($0.remove ?? []) }
        for id in Set((order.lines.compactMap(\.installedContract) + (order.migrations.map(\.migration.component) + named).map { String($0.prefix { $0 != "." }) })) {
            installed[id] = try await store.get(InstalledContract.self, id: id)?.value
        }
        var commitments: [String: CommitmentContract] = [:]
        for id in Set(installed.values.flatMap { $0.root.all.flatMap { $0.commitments ?? [] } }).sorted() {
            commitments[id] = try await store.get(CommitmentContract.self, id: id)?.value
        }
        guard !commitments.isEmpty else { return nil }
        let day = max(order.header.fulfillBy ?? today, today)
        let coverable = order.commitmentChanges.isEmpty ? [:] : try await orders.catalog(for: order, today: day).commitmentCoverage
        let breaks = order.commitmentBreaks(installed: installed, commitments: commitments, coverable: coverable, on: day)
        return breaks.isEmpty ? nil : breaks
    }

    /// The order read alone: with prices (as submitted, once submitted), relationships and selling
    /// status from the catalog its lines use (without them when no catalog is active), its
    /// provisioning messages once fulfillment started, and a parent's children with their statuses now.
    public func orderDetail(_ v: Versioned<Order>) async throws -> OrderDetail {
        var detail = OrderDetail(v)
        if v.value.fulfillment?.startedAt != nil { detail.provisioningMessages = try await fulfiller.provisioningMessages(of: v.value.id) }
        if !v.value.children.isEmpty { detail.order = try await orders.withChildStatuses(v.value) }
        detail.commitmentBreaks = try await commitmentBreaks(of: v.value)
        guard let catalog = try? await orders.catalog(for: v.value, today: today) else { return detail }
        detail.pricing = v.value.submittedPricing ?? Pricing.price(v.value, catalog: catalog)
        let referenceDate = v.value.header.productSellingDate ?? today
        detail.relationships = v.value.relationships(catalog: catalog, referenceDate: referenceDate)
        detail.sellingStatus = v.value.sellingStatus(catalog: catalog, referenceDate: referenceDate)
        return detail
    }
}
