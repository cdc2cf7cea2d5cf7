import ConvergentDomain
import ConvergentStore
import Foundation

/// everything about one customer on one page: the first page of each list, with the
/// cursor of the next (orders continue at `GET /orders?customer=…&cursor=…`, installed contracts
/// at `GET /customers/{id}/installed-contracts?cursor=…`), so the view costs the same for a
/// customer with three contracts or thirty thousand.
public struct CustomerOverview: Sendable {
    public struct OrderSummary: Sendable {
        public var id: String
        public var orderDate: Day
        public var captureType: CaptureType
        public var status: OrderStatus
        public var products: [ProductID]
        /// Installed contracts the order services.
        public var relatedInstalledProducts: [String]
        public var parentID: String?
    }

    /// Orders and installed contracts a 360 view shows first: a screen's worth (each contract is a
    /// whole tree); `limit` asks for up to 500.
    public static let defaultPageSize = 20

    public var customer: Customer
    public var version: Int
    /// Orders the customer is the sold-to of (child orders included), by status: the first page, by id.
    public var ordersByStatus: [String: [OrderSummary]]
    /// Where the orders continue (`GET /orders?customer=…&cursor=…`); nil when this was all.
    public var ordersNextCursor: String?
    /// The customer's installed contracts, each as its tree: the first page, by id.
    public var installedContracts: [InstalledContract]
    /// Where the installed contracts continue (`GET /customers/{id}/installed-contracts?cursor=…`).
    public var installedContractsNextCursor: String?
    public var billingAccounts: [BillingAccount]
    /// the first page of its commitment contracts, by id.
    public var commitments: [Versioned<CommitmentContract>]
    /// Where the commitments continue (`GET /customers/{id}/commitment-contracts?cursor=…`).
    public var commitmentsNextCursor: String?
}

extension Engine {
    /// The 360 view with up to `limit` orders and `limit` installed contracts.
    public func overview(of customerID: String, limit: Int = CustomerOverview.defaultPageSize) async throws -> CustomerOverview {
        let customer = try await parties.customer(customerID)
        let orders = try await store.all(Order.self, where: ["sold_to": customerID], limit: limit + 1)
        let page = orders.prefix(limit)
        let summaries = page.map { v in
            CustomerOverview.OrderSummary(id: v.value.id, orderDate: v.value.orderDate, captureType: v.value.captureType, status: v.value.status,
                                          products: v.value.lines.map(\.product), relatedInstalledProducts: v.value.lines.compactMap(\.installedContract),
                                          parentID: v.value.parentID)
        }
        let contracts = try await installedBase.contracts(of: customerID, limit: limit)
        let commitments = try await self.commitments.contracts(of: customerID, limit: limit)
        return CustomerOverview(customer: customer.value, version: customer.version,
                                ordersByStatus: Dictionary(grouping: summaries, by: \.status.rawValue),
                                ordersNextCursor: orders.count > limit ? page.last?.value.id : nil,
                                installedContracts: contracts.items, installedContractsNextCursor: contracts.nextCursor,
                                billingAccounts: try await parties.accounts(ownedBy: customerID).map(\.value), commitments: commitments.items,
                                commitmentsNextCursor: commitments.nextCursor)
    }
}
