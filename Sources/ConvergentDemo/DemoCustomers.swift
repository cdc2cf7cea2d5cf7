import ConvergentDomain
import Foundation

/// Demo customers of Northwind Telecom: a company paid for by its holding company, a person,
/// and an anonymous prepaid customer, each with contacts and billing accounts (R-2.1 … ).
public enum DemoCustomers {
    public static let customers: [Customer] = [
        Customer(id: "CUST-ACME-HOLDING", kind: .company, name: "ACME Holding SA", segment: ["segment": "enterprise", "country": "BE"],
                 contacts: [.init(id: "CT-1", name: "Marie Dubois", role: "finance", email: "marie.dubois@acme-holding.example", phone: "+32 2 555 01 00")],
                 addresses: [.init(id: "AD-1", purpose: "billing", line1: "Avenue Louise 100", city: "Brussels", postalCode: "1050", country: "BE")]),
        Customer(id: "CUST-ACME", kind: .company, name: "ACME Logistics NV", segment: ["segment": "business", "country": "BE"],
                 attributedAgent: "agent",
                 contacts: [.init(id: "CT-1", name: "Pieter Janssens", role: "IT manager", email: "pieter@acme.example", phone: "+32 3 555 12 12"),
                            .init(id: "CT-2", name: "Sofie Peeters", role: "office manager", email: "sofie@acme.example")],
                 addresses: [.init(id: "AD-1", purpose: "site", line1: "Havenlaan 7", city: "Antwerp", postalCode: "2000", country: "BE")],
                 billTo: [.init(payer: "CUST-ACME-HOLDING", period: Period(start: Day("2024-01-01")))]),
        Customer(id: "CUST-JANE", kind: .person, name: "Jane Doe", segment: ["segment": "residential", "country": "BE"],
                 contacts: [.init(id: "CT-1", name: "Jane Doe", role: "self", email: "jane.doe@example.org", phone: "+32 470 55 55 55")],
                 addresses: [.init(id: "AD-1", purpose: "site", line1: "Rue Haute 12", city: "Brussels", postalCode: "1000", country: "BE")]),
        Customer(id: "CUST-ANON-1", kind: .person, name: nil, anonymous: true, segment: ["segment": "prepaid"]),
        // a household with broadband and TV, its TV paid from a prepaid wallet (CRM.COM subscriptions).
        Customer(id: "CUST-HOME", kind: .person, name: "Eleni Georgiou", segment: ["segment": "residential", "country": "BE"], attributedAgent: "agent",
                 contacts: [.init(id: "CT-1", name: "Eleni Georgiou", role: "self", email: "eleni.georgiou@example.org", phone: "+32 2 555 77 77")],
                 addresses: [.init(id: "AD-1", purpose: "site", line1: "Chaussée de Wavre 40", city: "Ixelles", postalCode: "1050", country: "BE")]),
    ]

    public static let billingAccounts: [BillingAccount] = [
        BillingAccount(id: "BA-1001", owner: "CUST-ACME-HOLDING", contact: "CT-1", type: .individual, paymentMode: .postpaid, status: .active, currency: "EUR"),
        BillingAccount(id: "BA-1002", owner: "CUST-ACME", contact: "CT-1", type: .subordinate, paymentMode: .postpaid, status: .active, currency: "EUR"),
        BillingAccount(id: "BA-2001", owner: "CUST-JANE", contact: "CT-1", type: .individual, paymentMode: .postpaid, status: .active, currency: "EUR"),
        BillingAccount(id: "BA-3001", owner: "CUST-ANON-1", type: .prepaid, paymentMode: .prepaid, status: .active, balance: 20, currency: "EUR"),
        BillingAccount(id: "BA-4001", owner: "CUST-HOME", contact: "CT-1", type: .individual, paymentMode: .postpaid, status: .active, currency: "EUR"),
        BillingAccount(id: "BA-4002", owner: "CUST-HOME", contact: "CT-1", type: .prepaid, paymentMode: .prepaid, status: .active, balance: 40, currency: "EUR"),
    ]

    /// A demo agent (no token: an administrator issues one with POST /api/v1/users/agent/tokens).
    public static let users: [User] = [
        User(id: "agent", name: "Alex Agent", role: .agent),
        User(id: "supervisor", name: "Sam Supervisor", role: .agent, actsFor: ["agent"], granted: [.waiveFees, .overrideHolds]),
        // an agent without the act-for permission (not attributed to any sale).
        User(id: "trainee", name: "Taylor Trainee", role: .agent),
    ]
}

/// Contracts the demo customers already hold, so that service lines, sessions over
/// installed contracts, service-management child orders and COV can be tried at once.
public enum DemoInstalledBase {
    static func c(_ id: String, _ product: ProductID, _ attributes: [String: String]? = nil,
                  _ children: [InstalledProduct] = []) -> InstalledProduct {
        .init(id: id, product: product, status: .active, attributes: attributes, components: children)
    }

    /// A contract as fulfillment leaves it: installed on `day`, owned and billed down the tree.
    static func installed(_ id: String, _ customer: String, account: String, on day: Day, _ root: InstalledProduct) -> InstalledContract {
        InstalledContract(id: id, customer: customer, installedOn: day, root: root.map { c in
            var copy = c
            copy.installedOn = day
            copy.owner = customer
            copy.billingAccount = account
            return copy
        })
    }

    /// The contract with relies-on links (TV service on the network access), active since it was installed.
    static func withLinks(_ contract: InstalledContract, _ links: [(String, String)]) -> InstalledContract {
        var linked = contract
        linked.links = links.map { InstalledLink(from: $0.0, to: $0.1, status: .active, installedOn: contract.installedOn) }
        return linked
    }

    public static let contracts: [InstalledContract] = [
        // ACME's business fibre with 8-5 support.
        installed("IC-ACME-1", "CUST-ACME", account: "BA-1002", on: Day("2025-03-01")!, c("IC-ACME-1", "BUSINESS-CONTRACT", nil, [
            c("IC-ACME-1.1", "BIZ-PLAY", nil, [c("IC-ACME-1.2", "BIZ-INTERNET-OFFER", nil, [c("IC-ACME-1.3", "BIZ-FIBER", nil, [c("IC-ACME-1.4", "NET-ACCESS")])])]),
            c("IC-ACME-1.5", "SUPPORT-PLAY", nil, [c("IC-ACME-1.6", "SUPPORT-OFFER", nil, [c("IC-ACME-1.7", "SUPPORT-8-5")])]),
        ])),
        // Jane's mobile contract with one line.
        installed("IC-JANE-1", "CUST-JANE", account: "BA-2001", on: Day("2025-06-15")!, c("IC-JANE-1", "MOBILE-CONTRACT", nil, [
            c("IC-JANE-1.1", "MOBILE-PLAY", nil, [c("IC-JANE-1.2", "MOBILE-LINE-OFFER", nil, [
                c("IC-JANE-1.3", "MOBILE-VOICE-DATA", ["msisdn": "+32470555555"], [c("IC-JANE-1.4", "MOBILE-LINE")]),
            ])]),
        ])),
        // ACME's family contract with one line: the target of a takeover across customers (R-6.5 scenario 4).
        installed("IC-ACME-2", "CUST-ACME", account: "BA-1002", on: Day("2025-09-01")!, c("IC-ACME-2", "MOBILE-CONTRACT", nil, [
            c("IC-ACME-2.1", "MOBILE-PLAY", nil, [c("IC-ACME-2.2", "MOBILE-LINE-OFFER", nil, [
                c("IC-ACME-2.3", "MOBILE-VOICE-DATA", ["msisdn": "+32470777777"], [c("IC-ACME-2.4", "MOBILE-LINE")]),
            ])]),
        ])),
        // Eleni's home: fibre with a rented modem and a router; TV essentials with an HD box, and
        // the flexible TV bundle holding the sports pack (R-12: two subscriptions).
        withLinks(installed("IC-HOME-1", "CUST-HOME", account: "BA-4001", on: Day("2026-02-02")!, c("IC-HOME-1", "HOME-CONTRACT", nil, [
            c("IC-HOME-1.1", "BB-PLAY", nil, [c("IC-HOME-1.2", "INTERNET-OFFER", nil, [
                c("IC-HOME-1.3", "FIBER-500", ["installation": "technician", "bandwidthMbps": "500"], [c("IC-HOME-1.4", "NET-ACCESS")]),
                c("IC-HOME-1.5", "MODEM-RENTAL", nil, [c("IC-HOME-1.6", "HOME-GATEWAY")]),
                c("IC-HOME-1.7", "ROUTER"),
            ])]),
            c("IC-HOME-1.8", "TV-PLAY", nil, [
                c("IC-HOME-1.9", "TV-BASIC-OFFER", nil, [
                    c("IC-HOME-1.10", "TV-BASIC-PACK", nil, [c("IC-HOME-1.11", "TV-SERVICE")]),
                    c("IC-HOME-1.12", "STB-HD"),
                ]),
                c("IC-HOME-1.13", "TV-FLEX-OFFER", nil, [c("IC-HOME-1.14", "SPORTS-PACK", nil, [c("IC-HOME-1.15", "TV-SERVICE")])]),
            ]),
        ])), [("IC-HOME-1.11", "IC-HOME-1.4"), ("IC-HOME-1.15", "IC-HOME-1.4")]),
    ]
}

/// the subscriptions of Eleni's home contract — broadband owned by her postpaid account,
/// TV by her prepaid wallet (so Move Installed Items is not offered: each accounts receivable
/// has one subscription), both billed monthly with a 12-month binding.
public enum DemoSubscriptions {
    static let monthly = Subscribe.Term(scheme: "HOME-MONTHLY", frequency: .monthly, bindingPeriod: 12, pricePlan: "STANDARD-2026")

    public static let requests: [Subscribe] = [
        Subscribe(installedProduct: "IC-HOME-1.1", type: "HOME-BROADBAND", accountsReceivable: "BA-4001", billingTerm: monthly),
        Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", accountsReceivable: "BA-4002", billingTerm: monthly),
    ]
}
