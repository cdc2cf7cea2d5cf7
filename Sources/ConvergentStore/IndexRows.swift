import ConvergentDomain
import Foundation

/// The entities queried across aggregates, each in its own indexed table, written in the same
/// transaction as the aggregate that holds them. The aggregate stays the truth; a row says where
/// to look (a reader loads the aggregate when it needs more than the row).
public enum IndexTable: String, Hashable, Sendable, CaseIterable {
    /// Every product of every installed contract: contract, customer, product, parent, status,
    /// billing account, installed and disconnected dates.
    case installedProducts = "installed_products"
    /// Relies-on links between installed products (by the product they point to).
    case installedLinks = "installed_links"
    /// Which installed contracts an order's lines service, with the order's status (COV).
    case orderContracts = "order_contracts"
    /// The words a customer is searched by (R-2.1), one row per customer and word; a reader
    /// checks the words against the customer it loads (a word a change removed stays behind).
    case customerTerms = "customer_terms"
    /// The accounts paying each installed product, one row per product and account (any billing
    /// row's, R-7.6), with the product's status; a reader checks them against the contract it
    /// loads (an account a change took off stays behind).
    case installedBilling = "installed_billing"
    /// R-9.3: what each commitment covers, one row per commitment and installed product, `open`
    /// while the daily run watches it (the commitment active, the link active, the product
    /// neither ended nor leaving) and `closed` otherwise — also once the product left the
    /// commitment's coverage. The daily run joins the open rows to disconnected products.
    case commitmentCoverage = "commitment_coverage"

    /// The aggregate kind whose writes keep the table.
    public var owner: AggregateKind {
        switch self {
        case .installedProducts, .installedLinks, .installedBilling: .installedContract
        case .orderContracts: .order
        case .customerTerms: .customer
        case .commitmentCoverage: .commitmentContract
        }
    }

    /// The column holding the owning aggregate's id.
    public var scope: String {
        switch self {
        case .installedProducts, .installedLinks, .installedBilling: "contract"
        case .orderContracts: "order_id"
        case .customerTerms: "customer"
        case .commitmentCoverage: "commitment"
        }
    }

    /// Columns besides `id`, all text.
    public var columns: [String] {
        switch self {
        case .installedProducts:
            ["contract", "customer", "product", "parent", "status", "billing_account", "installed_on", "disconnected_on"]
        case .installedLinks: ["contract", "from_id", "to_id", "status"]
        case .orderContracts: ["order_id", "contract", "order_status", "parent_order"]
        case .customerTerms: ["customer", "term"]
        case .installedBilling: ["contract", "account", "status"]
        case .commitmentCoverage: ["commitment", "installed_product", "status"]
        }
    }

    /// What a row that left its aggregate is rewritten with (rather than staying as it was):
    /// a product no longer covered is no longer watched.
    public var leftRowValues: [String: String]? {
        switch self {
        case .commitmentCoverage: ["status": CommitmentContract.closedCoverage]
        case .installedProducts, .installedLinks, .orderContracts, .customerTerms, .installedBilling: nil
        }
    }

    /// A column whose every change is recorded with the aggregate version (who, when and why are
    /// that version's history row): an installed product's status (its status history is an
    /// index lookup).
    public var tracked: (column: String, events: String, eventPrefix: String)? {
        switch self {
        case .installedProducts: ("status", "installed_product_events", "installedProduct")
        case .installedLinks, .orderContracts, .customerTerms, .installedBilling, .commitmentCoverage: nil
        }
    }

    public static func owned(by kind: AggregateKind) -> [IndexTable] { allCases.filter { $0.owner == kind } }

    /// The tables migration 7 made and fills from history (later ones are filled by theirs).
    public static let ofStorageV2: Set<IndexTable> = [.installedProducts, .installedLinks, .orderContracts]

    /// Whether the tracked column may change from one value to another (DESIGN principle 7).
    public func allows(from before: String, to after: String) -> Bool {
        switch self {
        case .installedProducts:
            guard let from = InstalledStatus(rawValue: before), let to = InstalledStatus(rawValue: after) else { return false }
            return from.canMove(to: to)
        case .installedLinks, .orderContracts, .customerTerms, .installedBilling, .commitmentCoverage: return true
        }
    }

    /// The event a tracked value is recorded as (`installedProduct.suspended`); not stored, it is the value named.
    public func eventName(_ value: String?) -> String { "\(tracked?.eventPrefix ?? rawValue).\(value ?? "none")" }
}

/// One row of a queried entity.
public struct IndexRow: Hashable, Sendable {
    public var table: IndexTable
    public var id: String
    public var values: [String: String?]

    public init(table: IndexTable, id: String, values: [String: String?]) {
        self.table = table
        self.id = id
        self.values = values
    }

    public subscript(column: String) -> String? { values[column] ?? nil }

    /// The rows an aggregate of `kind` holds, from its stored JSON (for writes made without a typed value).
    public static func rows(of kind: AggregateKind, from data: Data) -> [IndexRow] {
        switch kind {
        case .installedContract: (try? JSONDecoder().decode(InstalledContract.self, from: data))?.indexRows ?? []
        case .order: (try? JSONDecoder().decode(Order.self, from: data))?.indexRows ?? []
        case .customer: (try? JSONDecoder().decode(Customer.self, from: data))?.indexRows ?? []
        case .commitmentContract: (try? JSONDecoder().decode(CommitmentContract.self, from: data))?.indexRows ?? []
        default: []
        }
    }
}

/// A recorded change of a tracked column. Stored as (subject, version, value) only: when, who and
/// why are those of the owning aggregate's history row of that version, read with it.
public struct IndexEvent: Hashable, Sendable {
    public var subject: String
    public var version: Int
    public var at: Date
    public var actor: String
    public var reason: String?
    public var event: String
    public var value: String?

    public init(subject: String, version: Int, at: Date, actor: String, reason: String?, event: String, value: String?) {
        self.subject = subject
        self.version = version
        self.at = at
        self.actor = actor
        self.reason = reason
        self.event = event
        self.value = value
    }
}

/// What a write does to the index tables, given the rows stored for its aggregate: the rows that
/// changed (to upsert) and the tracked changes (to append). Rows are never deleted: a row that
/// left the aggregate (an order line removed) stays until overwritten, and readers check the
/// aggregate they load.
public enum IndexPlanning {
    /// An aggregate's rows, by the table of its kind they go to (tables with none left out).
    public static func byTable(_ rows: [IndexRow], of kind: AggregateKind) -> [(table: IndexTable, rows: [IndexRow])] {
        IndexTable.owned(by: kind).compactMap { table in
            let mine = rows.filter { $0.table == table }
            return mine.isEmpty ? nil : (table, mine)
        }
    }

    /// The indexed columns a stored document gives, for filling a column added to a kind's table
    /// (migration 7: `orders.in_jeopardy`).
    public static func columns(of kind: AggregateKind, from data: Data) -> [String: String?]? {
        switch kind {
        case .order: (try? JSONDecoder().decode(Order.self, from: data))?.indexedColumns
        default: nil
        }
    }

    /// A text above every word starting with `prefix` (U+10FFFF, the largest code point, is in
    /// no word): the words with a prefix are the range [prefix, prefixEnd) in byte order.
    public static func prefixEnd(_ prefix: String) -> String { prefix + "\u{10FFFF}" }

    /// With `enforce`, a tracked change the table's transitions do not allow fails the write
    /// (`invalid-status-transition`); replaying an older database's history does not enforce.
    public static func plan(_ rows: [IndexRow], existing: [String: IndexRow], version: Int, context: ChangeContext,
                            enforce: Bool = true) throws -> (upserts: [IndexRow], events: [IndexEvent]) {
        var upserts: [IndexRow] = []
        var events: [IndexEvent] = []
        var rows = rows
        if let closed = rows.first?.table.leftRowValues {
            let kept = Set(rows.map(\.id))
            for (id, left) in existing.sorted(by: { $0.key < $1.key }) where !kept.contains(id) {
                var row = left
                for (column, value) in closed { row.values[column] = value }
                rows.append(row)
            }
        }
        for row in rows where existing[row.id]?.values != row.values {
            upserts.append(row)
            if let tracked = row.table.tracked, existing[row.id]?[tracked.column] != row[tracked.column] || existing[row.id] == nil {
                let value = row[tracked.column]
                if enforce, let before = existing[row.id]?[tracked.column], let value, !row.table.allows(from: before, to: value) {
                    throw StoreError(.invalidTransition, "\(row.id) cannot go from \(before) to \(value) (see the installed-product status table)",
                                     kind: row.table.owner)
                }
                events.append(IndexEvent(subject: row.id, version: version, at: context.at, actor: context.actor, reason: context.reason,
                                         event: row.table.eventName(value), value: value))
            }
        }
        return (upserts, events)
    }
}

extension InstalledContract {
    /// Its products (installed_products), the accounts paying them (installed_billing) and links (installed_links).
    public var indexRows: [IndexRow] {
        var rows: [IndexRow] = []
        func visit(_ component: InstalledProduct, parent: String?) {
            rows.append(IndexRow(table: .installedProducts, id: component.id, values: [
                "contract": id, "customer": component.owner ?? customer, "product": component.product.description, "parent": parent,
                "status": component.status.rawValue, "billing_account": component.billingAccount,
                "installed_on": component.installedOn?.description, "disconnected_on": component.disconnectedOn?.description,
            ]))
            for account in component.accounts.sorted() {
                rows.append(IndexRow(table: .installedBilling, id: "\(component.id)|\(account)", values: [
                    "contract": id, "account": account, "status": component.status.rawValue,
                ]))
            }
            for child in component.components { visit(child, parent: component.id) }
        }
        visit(root, parent: nil)
        for link in links ?? [] {
            rows.append(IndexRow(table: .installedLinks, id: "\(id)|\(link.from)|\(link.to)", values: [
                "contract": id, "from_id": link.from, "to_id": link.to, "status": link.status.rawValue,
            ]))
        }
        return rows
    }
}

extension Order {
    /// The installed contracts its lines service (order_contracts).
    public var indexRows: [IndexRow] {
        Set(lines.compactMap(\.installedContract)).sorted().map { contract in
            IndexRow(table: .orderContracts, id: "\(id)|\(contract)", values: [
                "order_id": id, "contract": contract, "order_status": status.rawValue, "parent_order": parentID,
            ])
        }
    }
}

extension CommitmentContract {
    /// The value of a coverage row the daily run watches, and of one it does not.
    public static let openCoverage = "open", closedCoverage = "closed"

    /// What it covers (commitment_coverage), each row `commitment|installed product`.
    public var indexRows: [IndexRow] {
        covers.map { c in
            let watched = status == .active && c.active && c.endedOn == nil && c.leaving != true
            return IndexRow(table: .commitmentCoverage, id: "\(id)|\(c.installedProduct)", values: [
                "commitment": id, "installed_product": c.installedProduct, "status": watched ? Self.openCoverage : Self.closedCoverage,
            ])
        }
    }
}

/// The values both stores' `commitmentsDue` compares with.
public enum CommitmentsDue {
    public static let active = CommitmentStatus.active.rawValue
    public static let disconnected = InstalledStatus.disconnected.rawValue
    public static let open = CommitmentContract.openCoverage
}

extension Customer {
    /// Its search words (customer_terms), each row `customer|word`: a customer's rows are next to
    /// each other in id order (ids hold no '|').
    public var indexRows: [IndexRow] {
        searchTerms.sorted().map { IndexRow(table: .customerTerms, id: "\(id)|\($0)", values: ["customer": id, "term": $0]) }
    }
}

extension ConvergentStore {
    /// Every index row matching, read page by page (for lookups bounded by what they look up:
    /// the orders servicing a few contracts, the links to a few products).
    public func everyIndexRow(_ table: IndexTable, where column: String, in values: [String], equals: [String: String] = [:],
                              pageSize: Int = 500) async throws -> [IndexRow] {
        var found: [IndexRow] = []
        var cursor: String?
        repeat {
            let page = try await indexRows(table, where: column, in: values, equals: equals, after: cursor, limit: pageSize)
            found += page
            cursor = page.count == pageSize ? page.last?.id : nil
        } while cursor != nil
        return found
    }
}
