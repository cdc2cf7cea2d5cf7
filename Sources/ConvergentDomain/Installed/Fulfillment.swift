import Foundation

/// what fulfilling an order does to the installed base, in two steps — pending (when
/// fulfillment starts; one provisioning message per provisioning system goes out) and settled
/// (when every message was answered and nothing else is awaited, R-7.4).
public enum Fulfillment {
    /// The installed contract a new line creates (`IC-<order>-<line>`).
    public static func contractID(order: String, line: Int) -> String { "IC-\(order)-\(line)" }

    /// the account created for a new account an order marked (`NEW-1` of CO000001 is
    /// `BA-CO000001-NEW-1`), named after the order that marked it (a convergent parent for its
    /// children): a new account shared by the lines of several customers is one account.
    public static func accountID(order: String, newAccount: String) -> String { "BA-\(order)-\(newAccount)" }

    /// The key the line's own rows go under: its configuration's root, else `L<n>`.
    static func configurationRootKey(_ line: OrderLine) -> String { line.configuration?.root.id ?? "L\(line.number)" }

    /// an order line's billing rows as installed products keep them, per component key:
    /// new accounts named by the account fulfillment creates for them (`order`: the convergent
    /// parent of a child order, else the order itself).
    public static func billing(of line: OrderLine, in order: Order, accountsOf root: String) -> [String: [InstalledBillingRow]] {
        order.effectiveBilling(of: line).mapValues { rows in
            rows.map { row in
                InstalledBillingRow(sequence: row.sequence, purpose: row.purpose, primary: row.primary, customer: row.customer,
                                    account: row.account ?? row.newAccount.map { accountID(order: root, newAccount: $0) })
            }
        }
    }

    /// Step 1: a new line creates its contract with every component Pending Activation (ids
    /// `<contract>.<n>` in tree order); a change adds the new components Pending Activation and
    /// marks removed ones (with what is below them) Pending Disconnection; suspend, resume and
    /// disconnect mark the whole contract; suspend/change does both. `keys` maps the configuration's
    /// instance keys to the installed ids they get. Nil for a line with nothing to install.
    /// an installed product that migrated in from another contract is installed anew
    /// here (Pending Activation, a new id, `migratedFrom` its former id; owner and billing account
    /// then follow this contract); one that migrated out stays in its former place Pending
    /// Disconnection, with `migratedTo` the contract it went to (from `migrations`).
    public static func pending(line: OrderLine, order: String, existing: InstalledContract?, on day: Day,
                               keys: inout [String: String], migrations: [OrderMigration] = [],
                               billing: [String: [InstalledBillingRow]] = [:]) -> InstalledContract? {
        if line.isNew {
            guard let configuration = line.configuration else { return nil }
            let id = contractID(order: order, line: line.number)
            var next = 0
            func install(_ c: ConfigurationDocument.Component, isRoot: Bool) -> InstalledProduct {
                let installedID: String
                if isRoot { installedID = id } else { next += 1; installedID = "\(id).\(next)" }
                keys[c.id] = installedID
                // the rows in force for the component (its own, else its nearest ancestor's).
                let rows = billing[c.id]
                return InstalledProduct(id: installedID, product: c.product, status: .pendingActivation, attributes: c.attributes,
                                        components: (c.components ?? []).map { install($0, isRoot: false) },
                                        billingAccount: rows.flatMap { rows in (rows.first { $0.primary } ?? rows.first)?.account },
                                        migratedFrom: c.installedStatus != nil ? c.id : nil)
                    .withBillingRows(rows)
            }
            let root = install(configuration.root, isRoot: true)
            return InstalledContract(id: id, customer: line.customer, status: .pendingActivation, installedOn: nil,
                                     root: billedTo(root, line: line, migrations: migrations, keys: keys))
        }
        guard var contract = existing else { return nil }
        if [.change, .suspendChange, .disconnect].contains(line.action), let configuration = line.configuration {
            var next = (contract.root.all.compactMap { $0.id.split(separator: ".").last.flatMap { Int($0) } }.max() ?? 0)
            let before = contract
            func apply(_ c: ConfigurationDocument.Component, removing: Bool) -> InstalledProduct {
                let removedHere = removing || c.removed == true
                var copy: InstalledProduct
                if let installed = before.product(c.id)?.component, c.installedStatus != nil {
                    // What a session does not carry (dates, owner, billing account, distributor) comes from the installed product.
                    copy = installed
                    copy.product = c.product
                    copy.attributes = c.attributes
                    if removedHere { copy.status = .pendingDisconnection }
                } else {
                    // New, or migrated in from another contract: installed anew here (owner and
                    // billing account then follow this contract). Ids in tree order, parents first.
                    next += 1
                    copy = InstalledProduct(id: "\(contract.id).\(next)", product: c.product, status: .pendingActivation, attributes: c.attributes,
                                            migratedFrom: c.installedStatus == nil ? nil : c.id)
                    keys[c.id] = copy.id
                }
                copy.components = (c.components ?? []).map { apply($0, removing: removedHere) }
                return copy
            }
            contract.root = apply(configuration.root, removing: false)
            contract.root = keepMigratedOut(from: before.root, in: contract.root, migrations: migrations)
        }
        // a change of the contract's billing rows: each product takes its own rows, else its parent's.
        if line.billingRows != nil {
            let billing = billing.isEmpty ? nil : billing
            func pay(_ c: InstalledProduct, inherited: [InstalledBillingRow]?) -> InstalledProduct {
                var copy = c
                let rows = billing?[c.id] ?? (c.id == contract.root.id ? billing?[configurationRootKey(line)] : nil) ?? inherited
                copy.billingRows = rows
                if let rows { copy.billingAccount = (rows.first { $0.primary } ?? rows.first)?.account }
                copy.components = c.components.map { pay($0, inherited: rows) }
                return copy
            }
            contract.root = pay(contract.root, inherited: nil)
        }
        contract.root = billedTo(contract.root, line: line, migrations: migrations, keys: keys)
        let whole: InstalledStatus? = switch line.action {
        case .suspend, .suspendChange: .pendingSuspension
        case .resume: .pendingResumption
        case .disconnect: .pendingDisconnection
        case .add, .change: nil
        }
        if let whole {
            // The whole contract, or the installed product the line names and what is below it.
            let scope = line.scope ?? contract.root.id
            func mark(_ c: InstalledProduct, inside: Bool) -> InstalledProduct {
                var copy = c
                let here = inside || c.id == scope
                if here, c.status != .disconnected, c.status != .pendingDisconnection || whole == .pendingDisconnection { copy.status = whole }
                copy.components = c.components.map { mark($0, inside: here) }
                return copy
            }
            contract.root = mark(contract.root, inside: false)
        }
        contract.status = contract.root.status
        return contract
    }

    /// a product migrated here from another customer, and its descendants, are paid by
    /// the account chosen for the migration (Billed To): it is their account and their primary
    /// row's; the other rows stay as this contract has them.
    static func billedTo(_ root: InstalledProduct, line: OrderLine, migrations: [OrderMigration], keys: [String: String]) -> InstalledProduct {
        var payers: [String: (customer: String, account: String)] = [:]
        for m in migrations where m.targetLine == line.number && m.migration.crossCustomer {
            guard let account = m.billedTo, let installed = keys[m.migration.target] else { continue }
            payers[installed] = (m.migration.targetCustomer, account)
        }
        guard !payers.isEmpty else { return root }
        func pay(_ c: InstalledProduct, payer inherited: (customer: String, account: String)?) -> InstalledProduct {
            var copy = c
            guard let payer = payers[c.id] ?? inherited else {
                copy.components = c.components.map { pay($0, payer: nil) }
                return copy
            }
            copy.billingAccount = payer.account
            copy.billingRows = c.billingRows?.map { row in
                guard row.primary else { return row }
                return InstalledBillingRow(sequence: row.sequence, purpose: row.purpose, primary: true, customer: payer.customer, account: payer.account)
            }
            copy.components = c.components.map { pay($0, payer: payer) }
            return copy
        }
        return pay(root, payer: nil)
    }

    /// What left the tree for another contract (absent from the configuration) goes back in its
    /// former place, Pending Disconnection, with the contract it went to.
    static func keepMigratedOut(from before: InstalledProduct, in tree: InstalledProduct,
                                migrations: [OrderMigration]) -> InstalledProduct {
        let present = Set(tree.all.map(\.id))
        func destination(_ key: String) -> String? {
            migrations.first { m in m.migration.component == key || m.migration.moved.contains { $0.instance == key } }?.targetInstalledContract
        }
        func leaving(_ c: InstalledProduct, to: String?) -> InstalledProduct {
            var copy = c
            if c.status != .disconnected { copy.status = .pendingDisconnection }
            copy.migratedTo = to
            copy.components = c.components.map { leaving($0, to: nil) }
            return copy
        }
        var result = tree
        func restore(_ c: InstalledProduct) {
            for child in c.components {
                if present.contains(child.id) {
                    restore(child)
                } else {
                    var placed = false
                    func insert(_ n: inout InstalledProduct) {
                        if n.id == c.id {
                            n.components.append(leaving(child, to: destination(child.id)))
                            placed = true
                            return
                        }
                        for i in n.components.indices where !placed { insert(&n.components[i]) }
                    }
                    insert(&result)
                }
            }
        }
        restore(before)
        return result
    }

    /// The order's relies-on links as installed links, pending, on the contract of their source.
    public static func pendingLinks(_ links: [ConfigurationDocument.Link], keys: [String: String],
                                    into contracts: inout [InstalledContract]) {
        for link in links {
            let from = keys[link.from] ?? link.from, to = keys[link.to] ?? link.to
            guard let i = contracts.firstIndex(where: { $0.product(from) != nil }) else { continue }
            var all = contracts[i].links ?? []
            if !all.contains(where: { $0.from == from && $0.to == to && $0.status != .disconnected }) {
                all.append(InstalledLink(from: from, to: to))
            }
            contracts[i].links = all
        }
    }

    /// The provisioning messages for the pending contracts: one per provisioning system, with every
    /// pending installed product of that system (functional components and devices, R-7.5).
    /// what a reparenting moved to another contract is left out — the target's order
    /// performs the move (its items name the product they replace).
    public static func messages(order: String, contracts: [InstalledContract], catalog: CatalogIndex,
                                migrations: [OrderMigration] = []) -> [ProvisioningMessage] {
        let reparented = Set(migrations.filter { $0.migration.kind == .reparenting }.map(\.migration.component))
        var bySystem: [String: [ProvisioningItem]] = [:]
        for contract in contracts {
            func visit(_ c: InstalledProduct, skipping: Bool) {
                let skip = skipping || (c.migratedTo != nil && reparented.contains(c.id))
                if !skip, let action = ProvisioningAction(pending: c.status), let product = catalog.product(c.product),
                   let system = product.provisioningSystem {
                    var item = ProvisioningItem(installedContract: contract.id, installedProduct: c.id, product: c.product, action: action,
                                                device: product.kind == .device ? true : nil, attributes: c.attributes)
                    if c.status == .pendingActivation { item.migratedFrom = c.migratedFrom }
                    bySystem[system, default: []].append(item)
                }
                c.components.forEach { visit($0, skipping: skip) }
            }
            visit(contract.root, skipping: false)
        }
        return bySystem.keys.sorted().map { ProvisioningMessage(order: order, system: $0, items: bySystem[$0]!) }
    }

    /// what an agent must be told about a settled contract with active products billed to no
    /// account — its owner's accounts (`accounts`) are none or none active; nil when all are billed.
    /// Until split billing's holds (issue 15) stop such an order, it is at least said on the order.
    public static func unbilledWarning(_ settled: InstalledContract, accounts: [BillingAccount]) -> String? {
        guard settled.root.all.contains(where: { $0.billingAccount == nil && $0.status == .active }) else { return nil }
        let why = accounts.isEmpty ? "has no billing account"
            : "has no active billing account (" + accounts.map { "\($0.id) is \($0.status.rawValue)" }.joined(separator: ", ") + ")"
        return "installed contract \(settled.id) was installed unbilled: its owner \(settled.customer) \(why)"
    }

    /// Step 2: every message was answered; every pending status becomes final on `day` —
    /// installed and disconnect dates set, devices get their distributor, the owner (the
    /// contract's customer) and `billingAccount` cascade down the tree, and links follow their ends.
    public static func provisioned(_ contract: InstalledContract, on day: Day, answers: [String: ProvisioningItemAnswer] = [:],
                                   billingAccount: String? = nil) -> InstalledContract {
        var ended: Set<String> = []
        func settle(_ c: InstalledProduct, owner: String, account: String?) -> InstalledProduct {
            var copy = c
            copy.status = c.status.settled
            if c.status == .pendingActivation { copy.installedOn = day }
            if c.status == .pendingDisconnection { copy.disconnectedOn = day }
            if copy.status == .disconnected { ended.insert(c.id) }
            if let distributor = answers[c.id]?.distributor { copy.distributor = distributor }
            copy.owner = c.owner ?? owner
            copy.billingAccount = c.billingAccount ?? account
            copy.components = c.components.map { settle($0, owner: copy.owner!, account: copy.billingAccount) }
            return copy
        }
        var settled = contract
        settled.root = settle(contract.root, owner: contract.customer, account: billingAccount)
        settled.status = settled.root.status
        if contract.status == .pendingActivation { settled.installedOn = day }
        settled.links = contract.links?.map { link in
            var l = link
            if ended.contains(l.from) || ended.contains(l.to), l.status != .disconnected {
                l.status = .disconnected
                l.disconnectedOn = day
            } else if l.status == .pendingActivation {
                l.status = .active
                l.installedOn = day
            }
            return l
        }
        return settled
    }

    /// Links of other contracts that point at a product disconnected here end too.
    public static func endLinks(in contract: InstalledContract, to disconnected: Set<String>, on day: Day) -> InstalledContract? {
        guard let links = contract.links, links.contains(where: { disconnected.contains($0.to) && $0.status != .disconnected }) else { return nil }
        var copy = contract
        copy.links = links.map { link in
            var l = link
            if disconnected.contains(l.to), l.status != .disconnected {
                l.status = .disconnected
                l.disconnectedOn = day
            }
            return l
        }
        return copy
    }
}

/// the embedded provisioning system, deterministic under a seed: whether an attempt is
/// answered, with success or failure, and after how long, depends only on the seed, the message
/// and the attempt — never on which worker sends it or when.
public struct ProvisioningSimulator: Hashable, Sendable, Codable {
    /// Seconds before the answer.
    public var delay: TimeInterval
    /// Fraction of attempts answered with a failure (0…1).
    public var failureRate: Double
    /// Fraction of attempts never answered (0…1); the answer time-out then counts them as failed.
    public var timeoutRate: Double
    public var seed: UInt64
    /// The distributor recorded for devices.
    public var distributor: String

    public init(delay: TimeInterval = 0, failureRate: Double = 0, timeoutRate: Double = 0, seed: UInt64 = 1, distributor: String = "Northwind Logistics") {
        self.delay = delay
        self.failureRate = failureRate
        self.timeoutRate = timeoutRate
        self.seed = seed
        self.distributor = distributor
    }

    public enum Answer: Hashable, Sendable {
        case succeeds(after: TimeInterval)
        case fails(after: TimeInterval)
        case silent
    }

    public func answer(message: String, attempt: Int) -> Answer {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in "\(message)#\(attempt)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var random = SeededRandom(seed: hash)
        let draw = Double(random.next() >> 11) / Double(1 << 53)
        if draw < timeoutRate { return .silent }
        if draw < timeoutRate + failureRate { return .fails(after: delay) }
        return .succeeds(after: delay)
    }

    /// What the simulated system reports per item: devices get the distributor.
    public func answers(for message: ProvisioningMessage) -> [ProvisioningItemAnswer] {
        message.items.compactMap { item in
            item.device == true && item.action == .activate
                ? ProvisioningItemAnswer(installedProduct: item.installedProduct, distributor: distributor) : nil
        }
    }
}

extension Order {
    /// Fulfillment starts: the order and its submitted lines are in fulfillment.
    public mutating func startFulfillment() throws(OrderError) {
        try move(to: .inFulfillment)
        for i in lines.indices where lines[i].status == .submitted { lines[i].status = try lines[i].status.transition(to: .inFulfillment) }
    }

    /// A parent's children as they are now (by id): listed with those statuses, and the parent
    /// completes on `day` once every one has. A child's completion does not write its
    /// parent; it wakes it, and the parent reads its children.
    public mutating func childrenProgressed(_ statuses: [String: OrderStatus], on day: Day) throws(OrderError) {
        self = listingChildren(statuses)
        if !children.isEmpty, children.allSatisfy({ $0.status == .completed }), status != .completed { try completeFulfillment(on: day) }
    }

    /// The order listing its children with these statuses (by id); the others as they were.
    public func listingChildren(_ statuses: [String: OrderStatus]) -> Order {
        var copy = self
        for i in copy.children.indices { if let seen = statuses[copy.children[i].id] { copy.children[i].status = seen } }
        return copy
    }

    /// Fulfillment is complete on `day`: lines and order completed, the completion date
    /// recorded and, R-10.2, the trial period's end date set — for convergent, simple and
    /// service-management orders (the latter for change and suspend/change only), not for parents
    /// that generated children (their children have it).
    public mutating func completeFulfillment(on day: Day) throws(OrderError) {
        if status == .submitted { try move(to: .inFulfillment) }
        try move(to: .completed)
        for i in lines.indices where lines[i].status != .completed && lines[i].status != .cancelled {
            if lines[i].status == .submitted { lines[i].status = try lines[i].status.transition(to: .inFulfillment) }
            lines[i].status = try lines[i].status.transition(to: .completed)
        }
        completedOn = day
        let trialApplies = children.isEmpty && (captureType == .simple || captureType == .convergent
            || (captureType == .serviceManagement && lines.contains { $0.action == .change || $0.action == .suspendChange }))
        if trialApplies, let days = header.trialDays { trialEndsOn = day.adding(days: days) }
    }
}
