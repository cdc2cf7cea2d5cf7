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
    ]

    public static let billingAccounts: [BillingAccount] = [
        BillingAccount(id: "BA-1001", owner: "CUST-ACME-HOLDING", contact: "CT-1", type: .individual, paymentMode: .postpaid, status: .active, currency: "EUR"),
        BillingAccount(id: "BA-1002", owner: "CUST-ACME", contact: "CT-1", type: .subordinate, paymentMode: .postpaid, status: .active, currency: "EUR"),
        BillingAccount(id: "BA-2001", owner: "CUST-JANE", contact: "CT-1", type: .individual, paymentMode: .postpaid, status: .active, currency: "EUR"),
        BillingAccount(id: "BA-3001", owner: "CUST-ANON-1", type: .prepaid, paymentMode: .prepaid, status: .active, balance: 20, currency: "EUR"),
    ]

    /// A demo agent (no token: an administrator issues one with POST /api/v1/users/agent/tokens).
    public static let users: [User] = [
        User(id: "agent", name: "Alex Agent", role: .agent),
        User(id: "supervisor", name: "Sam Supervisor", role: .agent, actsFor: ["agent"]),
    ]
}
