import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes

// The console's view models: what each template prints, as text already formatted. They are
// made from the same wire types the API answers (`Wire/`), so a page shows what the API would.

/// What every page's frame needs: its title, who is signed in, the CSRF token for its forms.
struct Layout: Sendable {
    var title: String
    var signedIn: Bool
    var userID: String
    var userName: String
    var role: String
    var csrf: String
    var mayAdminister: Bool

    init(title: String, agent: Console.Agent?) {
        self.title = title
        signedIn = agent != nil
        userID = agent?.user.id ?? ""
        userName = agent?.user.name ?? ""
        role = agent?.user.role.rawValue ?? ""
        csrf = agent?.csrf ?? ""
        mayAdminister = agent?.user.may(.manageUsers) ?? false
    }
}

/// A refusal in words: what happened, why, and the code to quote.
struct ProblemView: Sendable {
    var title: String
    var detail: String
    var code: String
    var field: String?
    var status: Int
    var items: [String]

    init(_ problem: Problem) {
        title = problem.title
        detail = problem.detail
        code = problem.code
        field = problem.field
        status = Int(problem.status.code)
        items = (problem.problems ?? []).map { item in
            [item.file.map { "\($0)" + (item.line.map { ":\($0)" } ?? "") }, item.path, item.message].compactMap { $0 }.filter { !$0.isEmpty }
                .joined(separator: " — ")
        }
        // R-16.3: every reason, with its code and remedy; R-2.4: the permission that was missing.
        items += (problem.reasons ?? []).map { "\($0.message) [\($0.code)] — \($0.remedy)" }
        if let permission = problem.permission { items.append("Missing permission: \(permission)") }
    }
}

struct ErrorPage: Sendable {
    var layout: Layout
    var problem: ProblemView
}

struct SignInPage: Sendable {
    var layout: Layout
    var next: String
    /// The sign-in CSRF token (also in the sign-in cookie).
    var csrf: String
    var problem: ProblemView?
}

/// A choice of a `<select>`.
struct Option: Sendable {
    var value: String
    var label: String
    var selected: Bool

    static func list(_ values: [String], selected: String?, any: String? = nil) -> [Option] {
        (any.map { [Option(value: "", label: $0, selected: selected == nil || selected == "")] } ?? [])
            + values.map { Option(value: $0, label: $0, selected: $0 == selected) }
    }
}

struct HomePage: Sendable {
    var layout: Layout
    var statuses: [Option]
    var captureTypes: [Option]
    var jeopardy: Int
}

// MARK: Customers

struct CustomerRow: Sendable {
    var id: String
    var name: String
    var kind: String
    var segment: String

    init(_ customer: Wire.Customer) {
        let c = customer.value1
        id = c.id ?? ""
        name = c.anonymous == true ? "(anonymous)" : c.name ?? id
        kind = c.kind.rawValue
        segment = (c.segment?.additionalProperties ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }
}

struct CustomerListPage: Sendable {
    var layout: Layout
    var kinds: [Option]
    var newKinds: [Option] = Option.list(["person", "company"], selected: "person")
    /// The search words, as typed.
    var words: String
    var items: [CustomerRow]
    var next: String?
    var problem: ProblemView?
}

struct OrderRow: Sendable {
    var id: String
    var date: String
    var captureType: String
    var status: String
    var customer: String
    var products: String
}

struct StatusGroup: Sendable {
    var status: String
    var orders: [OrderRow]
}

/// One product of an installed contract's tree, with its components below it.
struct TreeNode: Sendable {
    var id: String
    var product: String
    var status: String
    var owner: String?
    var billingAccount: String?
    var installedOn: String?
    var components: [TreeNode]

    init(_ product: Wire.InstalledTreeProduct) {
        id = product.id
        self.product = product.product
        status = product.installedStatus.rawValue
        owner = product.owner
        billingAccount = product.billingAccount
        installedOn = product.installedOn
        components = (product.components ?? []).map(TreeNode.init)
    }
}

struct ContractView: Sendable {
    var id: String
    var product: String
    var status: String
    var installedOn: String?
    var lastOrder: String?
    var tree: TreeNode
    var links: [String]
    /// R-9.2: on an installed commitment, the commitment contract it stands for.
    var commitmentContract: String?

    init(_ contract: Wire.InstalledContract) {
        id = contract.id
        product = contract.product
        status = contract.status.rawValue
        installedOn = contract.installedOn
        lastOrder = contract.lastOrder
        tree = TreeNode(contract.root)
        links = (contract.links ?? []).map { "\($0.from) relies on \($0.to) (\($0.status.rawValue))" }
        commitmentContract = contract.commitmentContract
    }
}

struct AccountRow: Sendable {
    var id: String
    var type: String
    var paymentMode: String
    var status: String
    var balance: String
    /// R-2.3: the moves its status may make (Pending → Active, → Closed); stored, as templates
    /// read stored properties only.
    var activatable: Bool
    var closable: Bool

    init(_ account: Wire.BillingAccount) {
        id = account.value1.id ?? ""
        type = account.value1._type.rawValue
        paymentMode = account.value1.paymentMode.rawValue
        status = account.value1.status?.rawValue ?? ""
        balance = account.value1.balance.map { "\($0) \(account.value1.currency ?? "")" } ?? ""
        activatable = status == "Pending"
        closable = status != "Closed" && !status.isEmpty
    }
}

struct CustomerPage: Sendable {
    var layout: Layout
    var id: String
    var name: String
    var kind: String
    var segment: String?
    var contacts: [String]
    var addresses: [String]
    var accounts: [AccountRow]
    var ordersByStatus: [StatusGroup]
    var moreOrders: Bool
    var contracts: [ContractView]
    var moreContracts: String?
    /// R-3.9, R-9.2: the first page of its commitment contracts.
    var commitmentRows: [CommitmentRow] = []
    var moreCommitments: String?
    /// R-6.3: its service agreements (the first page).
    var agreementRows: [AgreementRow] = []
    /// R-12.1: its subscriptions (the first page) and the form that makes one.
    var subscriptions: SubscriptionSectionView?
    /// R-2.2: who pays for this customer, and when.
    var payers: [String] = []
    /// The customer's id as a path component (forms post under it).
    var path: String = ""
    var contactOptions: [Option] = []
    var accountTypes: [Option] = Option.list(BillingAccount.AccountType.allCases.map(\.rawValue), selected: "Individual")
    var paymentModes: [Option] = Option.list(PaymentMode.allCases.map(\.rawValue), selected: "postpaid")
    var accountStatuses: [Option] = Option.list(["Pending", "Active"], selected: "Active")
    var problem: ProblemView?
}

// MARK: Orders

struct OrderListPage: Sendable {
    var layout: Layout
    var customer: String
    var from: String
    var to: String
    var statuses: [Option]
    var captureTypes: [Option]
    var items: [OrderRow]
    var next: String?
    var problem: ProblemView?
}

struct NewOrderPage: Sendable {
    var layout: Layout
    var captureTypes: [Option]
    var soldTo: String
    var relatedCustomers: String
    var source: String
    var problem: ProblemView?
}

struct LineRow: Sendable {
    var number: Int
    var action: String
    var product: String
    var customer: String
    var installedContract: String?
    var reason: String?
    var status: String
    var configurationStatus: String
    var oneTime: String
    var recurring: String
    /// R-9.1: on a commitment line, what it commits and covers; on a bundle, the commitments to choose from.
    var commitment: String?
    var choices: [String] = []
    /// R-6.3: a service agreement line, and what it covers (nil while nothing).
    var agreementLine: Bool = false
    var agreementCovers: String?
}

struct HoldRow: Sendable {
    var code: String
    var message: String
    var resolution: String
    var lines: String?
    var relatedOrders: [String]
    var details: [String]
    var overridable: Bool
    var overridden: String?
}

struct TotalRow: Sendable {
    var label: String
    var currency: String
    var oneTime: String
    var recurring: String
}

struct MessageRow: Sendable {
    var id: String
    var system: String
    var status: String
    var attempts: String
    var lastError: String?
}

struct OrderPage: Sendable {
    var layout: Layout
    var id: String
    var version: Int
    var captureType: String
    var status: String
    var configurationStatus: String
    var orderDate: String
    var soldTo: String
    var relatedCustomers: String?
    var productSellingDate: String?
    var source: String?
    var trialDays: String?
    var parentID: String?
    var convertedTo: String?
    var convertedFrom: String?
    var children: [OrderRow]
    var lines: [LineRow]
    var holds: [HoldRow]
    var totals: [TotalRow]
    var adjustments: [String]
    var relationships: [String]
    var messages: [MessageRow]
    var jeopardy: String?
    var sessions: [String]
    var actions: [Option]
    /// Who may own a new contract: the sold-to and the related customers.
    var owners: [Option]
    /// Each customer's billing, shipping and site information, as text.
    var information: [InformationRow]
    var related: [String]
    var priceTypes: [Option]
    var paymentMethods: [Option]
    var conversions: [Option]
    var adjustmentRows: [MigrationRow]
    /// The addresses and contacts on the records of the order's customers, for the information form.
    var addresses: [Option] = []
    var contacts: [Option] = []
    /// R-3.1: a bulk order's rows (the customers its template lines are copied for).
    var bulk: Bool
    var bulkRows: [MigrationRow]
    /// R-8.5: the accounts the order marks for creation (each with its id), and who may get one.
    var newAccounts: [MigrationRow]
    /// R-16.2: the commitments the order would break, with their penalties, before it is submitted.
    var commitmentBreaks: [MigrationRow] = []
    /// R-6.3: each migration across customers, with the new owner's accounts to pay it.
    var billedTo: [BilledToRow] = []
    var billToCustomers: [Option] = []
    /// R-8.2: the accounts (and new accounts) a customer's lines may default to.
    var billingAccounts: [Option] = []
    var accountTypes: [Option]
    var editable: Bool
    var submittable: Bool
    /// R-11.4: a queued order may be released by hand on its execution date.
    var releasable: Bool
    var cancellable: Bool
    var inJeopardy: Bool
    var mayOverride: Bool
    var problem: ProblemView?

    init(_ order: Wire.Order, layout: Layout, mayOverride: Bool, problem: ProblemView?) {
        self.layout = layout
        id = order.id
        version = order.version
        captureType = order.captureType
        status = order.status.rawValue
        configurationStatus = order.configurationStatus
        orderDate = order.orderDate
        soldTo = order.header.soldTo
        relatedCustomers = order.header.relatedCustomers.isEmpty ? nil : order.header.relatedCustomers.joined(separator: ", ")
        productSellingDate = order.header.productSellingDate
        source = order.header.source.map { [$0, order.header.subSource].compactMap { $0 }.joined(separator: " / ") }
        trialDays = order.header.trialDays.map(String.init)
        parentID = order.parentID
        convertedTo = order.convertedTo
        convertedFrom = order.convertedFrom
        children = (order.children ?? []).map {
            OrderRow(id: $0.id, date: "", captureType: $0.captureType, status: $0.status?.rawValue ?? "", customer: $0.customer, products: $0.products.joined(separator: ", "))
        }
        let pricing = Dictionary((order.pricing?.lines ?? []).map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        lines = order.lines.map { line in
            let totals = pricing[line.number]?.totals ?? []
            return LineRow(number: line.number, action: line.action.rawValue, product: line.product, customer: line.customer,
                           installedContract: line.installedContract.map { contract in line.installedProduct.map { "\(contract) (only \($0))" } ?? contract },
                           reason: line.reason, status: line.status.rawValue,
                           configurationStatus: line.configurationStatus.rawValue,
                           oneTime: totals.map { Self.money($0.oneTime, $0.currency) }.joined(separator: ", "),
                           recurring: totals.map { Self.money($0.recurring, $0.currency) }.joined(separator: ", "),
                           commitment: line.commitment.map { "commits line \($0.commits), covers \($0.covers.joined(separator: ", "))" + ($0.chosen == true ? " (chosen)" : "") },
                           choices: line.commitmentChoices ?? [],
                           agreementLine: line.agreement != nil,
                           agreementCovers: line.agreement.flatMap { $0.covers.isEmpty ? nil : $0.covers.joined(separator: ", ") })
        }
        holds = order.holds.map { hold in
            HoldRow(code: hold.code, message: hold.message, resolution: hold.resolution,
                    lines: hold.lines.isEmpty ? nil : hold.lines.map(String.init).joined(separator: ", "),
                    relatedOrders: hold.relatedOrders, details: hold.details ?? [], overridable: hold.overridable && hold.overriddenBy == nil,
                    overridden: hold.overriddenBy.map { "overridden by \($0): \(hold.overrideReason ?? "")" })
        }
        totals = (order.pricing?.total ?? []).map { TotalRow(label: "Total", currency: $0.currency, oneTime: Self.money($0.oneTime, $0.currency), recurring: Self.money($0.recurring, $0.currency)) }
        adjustments = (order.adjustments ?? []).map { "\($0.id): \($0._type.rawValue) \(Self.money($0.amount, $0.currency))" + ($0.line.map { " on line \($0)" } ?? "") + " — \($0.reason)" }
        relationships = (order.relationships ?? []).map { r in
            "line \(r.fromLine) \(r.fromProduct) \(r.kind.rawValue) " + (r.toLine.map { "line \($0) " } ?? "") + (r.toProduct ?? r.to)
        }
        messages = (order.provisioningMessages ?? []).map {
            MessageRow(id: $0.id ?? "", system: $0.system ?? "", status: $0.status?.rawValue ?? "", attempts: "\($0.attempts ?? 0) of \($0.givesUpAfter ?? 0)", lastError: $0.lastError)
        }
        jeopardy = order.fulfillment?.jeopardy.map { [$0.reason, ($0.messages ?? []).joined(separator: ", ")].compactMap { $0 }.joined(separator: " — ") }
        sessions = order.sessions ?? []
        actions = LineAction.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == .add) }
        owners = Option.list([order.header.soldTo] + order.header.relatedCustomers, selected: order.header.soldTo)
        information = (order.header.customerInformation ?? []).map(InformationRow.init)
        related = order.header.relatedCustomers
        priceTypes = Option.list(PriceType.allCases.map(\.rawValue), selected: PriceType.recurring.rawValue)
        paymentMethods = Option.list(PaymentMethod.allCases.map(\.rawValue), selected: nil, any: "(unchanged)")
        newAccounts = (order.newAccounts ?? []).map {
            MigrationRow(migration: $0.id, text: "\($0.id): new \($0._type.rawValue) account for \($0.customer)\($0.contact.map { " (contact \($0))" } ?? "")\($0.created.map { ", created as \($0)" } ?? "")")
        }
        commitmentBreaks = (order.commitmentBreaks ?? []).map {
            MigrationRow(migration: $0.commitmentContract, text: "\($0.cause): breaks \($0.commitmentContract) — penalty " + CommitmentPage.penaltyText($0.penalty))
        }
        accountTypes = Option.list(BillingAccount.AccountType.allCases.map(\.rawValue), selected: "Individual")
        conversions = Option.list(CaptureType.allCases.map(\.rawValue).filter { $0 != order.captureType }, selected: nil)
        bulk = order.captureType == CaptureType.bulk.rawValue || order.captureType == CaptureType.bulkServiceManagement.rawValue
        bulkRows = (order.bulkRows ?? []).map {
            MigrationRow(migration: String($0.number), text: "row \($0.number): \($0.customer)\($0.contact.map { ", contact \($0)" } ?? "")\($0.installedContract.map { ", installed contract \($0)" } ?? "")")
        }
        adjustmentRows = (order.adjustments ?? []).map { MigrationRow(migration: $0.id, text: "\($0._type.rawValue) \(Self.money($0.amount, $0.currency))" + ($0.line.map { " on line \($0)" } ?? "") + " — \($0.reason)") }
        let status = OrderStatus(rawValue: order.status.rawValue)
        editable = status?.isEditable ?? false
        submittable = status.map { $0.canMove(to: .submitted) || $0.canMove(to: .queued) } ?? false
        releasable = status == .queued
        cancellable = status?.canMove(to: .cancelled) ?? false
        inJeopardy = order.fulfillment?.jeopardy != nil
        self.mayOverride = mayOverride
        self.problem = problem
    }

    static func money(_ amount: Double, _ currency: String) -> String {
        String(format: "%.2f", amount) + " " + currency
    }
}

/// One customer's information on an order (R-3.3), in words.
struct InformationRow: Sendable {
    var customer: String
    var recurringBilling: String?
    var nonrecurringBilling: String?
    var shipping: String?
    var site: String?

    init(_ i: Wire.CustomerOrderInformation) {
        func billing(_ b: Wire.BillingInformation?) -> String? {
            b.map { b in [b.customer.map { "to \($0)" }, b.contact.map { "contact \($0)" }, b.address.map { "address \($0)" }, b.paymentMethod.map { "by \($0.rawValue)" },
                          b.account.map { "account \($0)" }, b.newAccount.map { "new account \($0)" }]
                .compactMap { $0 }.joined(separator: ", ") }
        }
        customer = i.customer
        recurringBilling = billing(i.recurringBilling)
        nonrecurringBilling = billing(i.nonrecurringBilling)
        shipping = i.shipping.map { s in [s.contact.map { "contact \($0)" }, s.address.map { "address \($0)" }, s.shipmentDate.map { "on \($0)" }].compactMap { $0 }.joined(separator: ", ") }
        site = i.site.map { s in [s.address.map { "address \($0)" }, s.contact.map { "contact \($0)" }].compactMap { $0 }.joined(separator: ", ") }
    }
}

struct JeopardyPage: Sendable {
    var layout: Layout
    var items: [JeopardyRow]
    var next: String?
}

struct JeopardyRow: Sendable {
    var order: String
    var customer: String
    var captureType: String
    var reason: String
    var since: String
    var version: Int
}

// MARK: Configuration sessions

struct MessageView: Sendable {
    var severity: String
    var rule: String
    var message: String
    var detail: String

    init(_ m: Wire.VerificationMessage) {
        severity = m.severity.rawValue
        rule = m.rule
        message = m.message
        detail = m.detail
    }
}

/// One element of a session's configuration, with its components below it.
struct ElementNode: Sendable {
    var instance: String
    var product: String
    var name: String
    var selling: String
    var installedStatus: String?
    var removed: Bool
    var origin: String
    var attributes: String?
    var errors: [MessageView]
    var warnings: [MessageView]
    var components: [ElementNode]

    /// The trees of `elements` (a flat list with parents) whose roots are in `contract`.
    static func trees(_ elements: [Wire.ReportElement], contract: String) -> [ElementNode] {
        let mine = elements.filter { $0.contract == contract }
        let known = Set(mine.map(\.instance))
        let children = Dictionary(grouping: mine.filter { $0.parent.map(known.contains) ?? false }, by: { $0.parent ?? "" })
        func node(_ e: Wire.ReportElement) -> ElementNode {
            let attributes = e.attributes.additionalProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return ElementNode(instance: e.instance, product: e.product, name: e.name, selling: e.selling.status.rawValue,
                               installedStatus: e.installedStatus?.rawValue, removed: e.removed, origin: e.origin.rawValue,
                               attributes: attributes.isEmpty ? nil : attributes, errors: e.errors.map(MessageView.init),
                               warnings: e.warnings.map(MessageView.init), components: (children[e.instance] ?? []).map(node))
        }
        return mine.filter { $0.parent.map { !known.contains($0) } ?? true }.map(node)
    }
}

struct SessionContractView: Sendable {
    var contract: String
    var customer: String
    var line: String?
    var status: String
    var messages: [MessageView]
    var tree: [ElementNode]
}

struct CandidateView: Sendable {
    var instance: String
    var product: String
    var via: String?
    var first: Bool
}

/// A placement question (R-4.2): the operation to repeat, and the places to choose from.
struct QuestionView: Sendable {
    var product: String
    var rule: String?
    var message: String
    var candidates: [CandidateView]
    var op: String
    var opProduct: String?
    var opContract: String?
    var opParent: String?
    var opInstance: String?
}

/// R-6.3: a migration across customers and the accounts of its new owner (Billed To).
struct BilledToRow: Sendable {
    var migration: String
    var text: String
    var accounts: [Option]
}

struct MigrationRow: Sendable {
    /// Not `id`: inside a row, `id` is still the session's.
    var migration: String
    var text: String
}

struct SessionPage: Sendable {
    var layout: Layout
    var id: String
    var order: String
    var version: Int
    var status: String
    var open: Bool
    var verification: String
    var errorCount: Int
    var warningCount: Int
    var contracts: [SessionContractView]
    var contractOptions: [Option]
    var migrations: [MigrationRow]
    var links: [String]
    var question: QuestionView?
    var problem: ProblemView?

    init(_ session: Wire.Session, layout: Layout, question: QuestionView?, problem: ProblemView?) {
        self.layout = layout
        id = session.session.id
        order = session.session.orderID
        version = session.version
        status = session.session.status.rawValue
        open = session.session.status.rawValue == "open"
        verification = session.status.rawValue
        errorCount = session.report.errorCount
        warningCount = session.report.warningCount
        contracts = session.contracts.map { c in
            SessionContractView(contract: c.contract, customer: c.customer, line: c.line.map(String.init), status: c.status.rawValue,
                                messages: c.messages.map(MessageView.init), tree: ElementNode.trees(session.report.elements, contract: c.contract))
        }
        contractOptions = session.contracts.map { Option(value: $0.contract, label: "\($0.contract) (\($0.customer))", selected: false) }
        migrations = (session.session.document.migrations ?? []).map { m in
            MigrationRow(migration: m.id ?? "", text: [m.name ?? m.action, m.component.map { "component \($0)" }, m.product,
                                                 m.targetParent.map { "to \($0)" } ?? m.targetContract.map { "to contract \($0)" },
                                                 m.targetCustomer.map { "for \($0)" }].compactMap { $0 }.joined(separator: " "))
        }
        links = session.report.links.map { "\($0.from) relies on \($0.to) (\($0.rule))" }
        self.question = question
        self.problem = problem
    }
}

struct PossibleMigrationView: Sendable {
    var action: String
    var name: String
    var kind: String
    var target: String
    var places: [Option]
    var newContracts: [String]
    var hasPlaces: Bool
    var hasNewContracts: Bool
}

struct RuleView: Sendable {
    var id: String
    var kind: String
    var severity: String
    var message: String
    var active: Bool
}

struct InstancePage: Sendable {
    var layout: Layout
    var session: String
    var version: Int
    var instance: String
    var product: String
    var contract: String
    var customer: String
    var selling: String
    var installedStatus: String?
    var attributes: [Option]
    var errors: [MessageView]
    var warnings: [MessageView]
    var rules: [RuleView]
    var links: [String]
    var linkTargets: [String]
    var migrations: [PossibleMigrationView]
    var customers: [Option]
    /// R-4.2: the rows in force for it once the session is saved, and a form when it may set its own.
    var billing: [BillingRowView] = []
    var billingNote: String?
    var billingSelectable: Bool = false
    /// R-9.1: the commitments its product brings and is covered by; installed, those covering it.
    var commitmentTriggers: String?
    var commitmentCoveredBy: String?
    var commitmentRows: [CommitmentRow] = []
    /// R-9.4: a form per installed commitment covering it, to change it in this order.
    var commitmentForms: [CommitmentFormView] = []
    var problem: ProblemView?
}

// MARK: Catalog (administrators)

struct VersionRow: Sendable {
    var version: String
    var name: String
    var status: String
    var effectiveFrom: String
    var products: String
    var rules: String
    var activatable: Bool
}

struct CatalogPage: Sendable {
    var layout: Layout
    var versions: [VersionRow]
    var mayManage: Bool
    var yaml: String
    var activate: Bool
    var problem: ProblemView?
    /// What a check-only upload found (valid, nothing stored).
    var notice: String?
    /// The versions to compare (by default the last two).
    var fromVersions: [Option] = []
    var toVersions: [Option] = []
}

/// R-1.13: what changed between two catalog versions.
struct CatalogDiffPage: Sendable {
    var layout: Layout
    var from: String
    var to: String
    var entries: [String]
}

struct ProductRow: Sendable {
    var id: String
    var name: String
    var kind: String
    var selling: String
    var bundle: Bool
}

struct ProductsPage: Sendable {
    var layout: Layout
    var catalogVersion: String
    var date: String
    var q: String
    var kinds: [Option]
    var items: [ProductRow]
}

struct BundleRow: Sendable {
    var product: String
    var name: String
    var kind: String
    var cardinality: String?
    var selling: String
    var sells: String?
    var components: [BundleRow]

    init(_ node: Wire.BundleNode) {
        product = node.product
        name = node.name
        kind = node.kind.rawValue
        cardinality = node.min.map { min in "\(min)…\(node.max.map(String.init) ?? "n")" }
        selling = node.selling.status.rawValue
        sells = node.sells.isEmpty ? nil : node.sells.joined(separator: ", ")
        components = node.components.map(BundleRow.init)
    }
}

struct ProductPage: Sendable {
    var layout: Layout
    var catalogVersion: String
    var date: String
    var id: String
    var name: String
    var kind: String
    var description: String?
    var selling: String
    var memberOf: [String]
    var components: [String]
    var rules: [RuleView]
    var migrations: [MigrationActionRow]
    var tree: BundleRow?
}

/// A migration action of the catalog (R-1.6), as the product page lists it.
struct MigrationActionRow: Sendable {
    var action: String
    var name: String
    var kind: String
    var visibility: String
    var source: String
    var target: String
    var period: String
    var activeOnDate: Bool
    var eligibility: String
    var script: String
    var functional: String

    init(_ a: Wire.CatalogMigrationAction) {
        action = a.id
        name = a.name
        kind = a.kind.rawValue
        visibility = a.visibility.rawValue
        source = a.source
        target = a.target
        period = a.activePeriod.map { "\($0.start ?? "…") to \($0.end ?? "…")" } ?? "always"
        activeOnDate = a.activeOnDate
        let kinds = a.eligibility?.customerKinds.map { "customers: " + $0.joined(separator: ", ") }
        let roles = a.eligibility?.roles.map { "roles: " + $0.joined(separator: ", ") }
        eligibility = [kinds, roles].compactMap { $0 }.joined(separator: "; ").isEmpty ? "everyone" : [kinds, roles].compactMap { $0 }.joined(separator: "; ")
        script = a.script.joined(separator: " → ")
        functional = a.functional.map { "\($0.source) → \($0.target ?? "removed")" }.joined(separator: ", ")
    }
}

/// One order line (R-3.3): what it is, its priced items and adjustments, and the relationships it takes part in.
struct LinePage: Sendable {
    var layout: Layout
    var order: String
    var number: Int
    var action: String
    var product: String
    var customer: String
    var installedContract: String?
    var reason: String?
    var status: String
    var configurationStatus: String
    var site: String?
    var items: [String]
    var adjustments: [String]
    var totals: [String]
    var relationships: [String]
    var holds: [String]
    /// R-8: the line's billing account rows, and what each may be set to.
    var billing: [BillingRowView]
    var components: [Option]
    var version: Int
    var problem: ProblemView?

    init?(_ order: Wire.Order, number: Int, layout: Layout, choices: [Option] = [], problem: ProblemView? = nil) {
        guard let line = order.lines.first(where: { $0.number == number }) else { return nil }
        self.layout = layout
        self.order = order.id
        self.number = number
        action = line.action.rawValue
        product = line.product
        customer = line.customer
        installedContract = line.installedContract
        reason = line.reason
        status = line.status.rawValue
        configurationStatus = line.configurationStatus.rawValue
        site = line.site.map { [$0.address.map { "address \($0)" }, $0.contact.map { "contact \($0)" }].compactMap { $0 }.joined(separator: ", ") }
        let pricing = order.pricing?.lines.first { $0.line == number }
        items = (pricing?.items ?? []).map { "\($0.product) \($0.instance): \($0._type.rawValue) \(OrderPage.money($0.amount, $0.currency))" }
        adjustments = (pricing?.adjustments ?? []).map { "\($0.id): \($0._type.rawValue) \(OrderPage.money($0.amount, $0.currency)) — \($0.reason)" }
        totals = (pricing?.totals ?? []).map { "one-time \(OrderPage.money($0.oneTime, $0.currency)), recurring \(OrderPage.money($0.recurring, $0.currency))" }
        relationships = (order.relationships ?? []).filter { $0.fromLine == number || $0.toLine == number }.map { r in
            "\(r.fromProduct) (\(r.from), line \(r.fromLine)) \(r.kind.rawValue) \(r.toProduct ?? r.to) (\(r.to)\(r.toLine.map { ", line \($0)" } ?? ""))"
                + (r.change.map { " — \($0.rawValue)" } ?? "") + (r.migration.map { " — migration \($0)" } ?? "")
        }
        holds = order.holds.filter { $0.lines.contains(number) }.map { "\($0.code): \($0.message)" }
        version = order.version
        self.problem = problem
        let own = (line.componentBilling?.additionalProperties ?? [:]).sorted { $0.key < $1.key }
        billing = (line.billingRows ?? []).map { BillingRowView($0, component: nil, choices: choices) }
            + own.flatMap { entry in entry.value.map { BillingRowView($0, component: entry.key, choices: choices) } }
        var keys: [(String, String)] = []
        func walk(_ c: Wire.Component) {
            keys.append((c.id, "\(c.product) (\(c.id))"))
            (c.components ?? []).forEach(walk)
        }
        if let root = line.configuration?.value1 { (root.components ?? []).forEach(walk) }
        components = [Option(value: "", label: "the contract (its own rows)", selected: true)] + keys.map { Option(value: $0.0, label: $0.1, selected: false) }
    }
}

/// One billing account row (R-8.1) with the choices of its select.
struct BillingRowView: Sendable {
    var sequence: Int
    var purpose: String
    var component: String?
    var required: Bool
    var primary: Bool
    var allowedType: String
    var payer: String?
    var contact: String?
    var account: String?
    var warning: String?
    var options: [Option]

    init(_ row: Wire.LineBillingRow, component: String?, choices: [Option]) {
        sequence = row.sequence
        purpose = row.purpose
        self.component = component
        required = row.required
        primary = row.primary
        allowedType = row.allowedType.rawValue
        payer = row.customer
        contact = row.contact
        account = row.account ?? row.newAccount.map { "\($0) (new)" }
        warning = row.warning
        let current = choices.first { Console.accountChoice($0.value) == (row.account, row.newAccount) && (row.account ?? row.newAccount) != nil }?.value ?? ""
        options = [Option(value: "", label: "none", selected: current == "")]
            + choices.map { Option(value: $0.value, label: $0.label, selected: $0.value == current) }
    }
}

/// A customer's installed contracts, a page at a time, as trees.
struct ContractsPage: Sendable {
    var layout: Layout
    var customer: String
    var contracts: [ContractView]
    var next: String?
}

/// An installed product (R-7.6): its place in the contract, its links and its status history.
struct InstalledProductPage: Sendable {
    var layout: Layout
    var id: String
    var product: String
    var kind: String?
    var contract: String
    var customer: String
    var status: String
    var installedOn: String?
    var disconnectedOn: String?
    var owner: String?
    var billingAccount: String?
    var distributor: String?
    var attributes: String?
    var childOf: String?
    var children: [Option]
    var links: [String]
    var history: [String]
    /// R-7.6, R-9.2: the commitment contracts and service agreements covering it.
    var commitments: [String]
    var agreements: [String]
    /// R-9.2: on an installed commitment, the contract it stands for and its status.
    var commitmentContract: String?
    var commitmentStatus: String?
    /// R-7.6: the installed commitments of the contracts covering it.
    var installedCommitments: [String]
    /// R-13: the plan it is a package subscription of.
    var plan: String?

    init(_ p: Wire.InstalledProduct, layout: Layout) {
        self.layout = layout
        id = p.id
        product = p.product
        kind = p.kind
        contract = p.installedContract
        customer = p.customer
        status = p.installedStatus.rawValue
        installedOn = p.installedOn
        disconnectedOn = p.disconnectedOn
        owner = p.owner
        billingAccount = p.billingAccount
        distributor = p.distributor
        let attributes = (p.attributes?.additionalProperties ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        self.attributes = attributes.isEmpty ? nil : attributes
        childOf = p.childOf
        children = p.children.map { Option(value: $0.id, label: "\($0.product) (\($0.installedStatus.rawValue))", selected: false) }
        links = p.links.map { "\($0.from) relies on \($0.to) (\($0.status.rawValue))" }
        commitments = p.commitments ?? []
        agreements = p.agreements ?? []
        commitmentContract = p.commitmentContract
        commitmentStatus = p.commitmentStatus?.rawValue
        installedCommitments = p.installedCommitments ?? []
        let format = ISO8601DateFormatter()
        history = p.history.map { h in
            "\(format.string(from: h.at)) · \(h.installedStatus?.rawValue ?? "changed") by \(h.actor)" + (h.reason.map { " — \($0)" } ?? "")
        }
    }
}

/// R-9.4: the change of one installed commitment a session's instance page offers: its end date
/// now, the active products it covers (to uncover), and the session's change of it so far.
struct CommitmentFormView: Sendable {
    var commitment: String
    var endsOn: String
    var uncover: [Option]
    /// The session's components its covering rules name that it does not cover yet.
    var cover: [Option]
    var pending: String?

    init(_ c: Wire.CommitmentContract, change: Wire.CommitmentChange?, coverable: [CommitmentCoverage]) {
        commitment = c.id
        endsOn = c.endsOn
        uncover = c.covers.filter(\.active).map { Option(value: $0.installedProduct, label: "\($0.product) \($0.installedProduct)", selected: false) }
        cover = coverable.map { Option(value: $0.installedProduct, label: "\($0.product) \($0.installedProduct)", selected: false) }
        pending = change.map { change in
            [change.endsOn.map { "ends on \($0)" }, (change.remove ?? []).isEmpty ? nil : "uncovers \((change.remove ?? []).joined(separator: ", "))",
             (change.add ?? []).isEmpty ? nil : "covers \((change.add ?? []).joined(separator: ", "))"]
                .compactMap { $0 }.joined(separator: "; ") + (change.reason.map { " — \($0)" } ?? "")
        }
    }
}
