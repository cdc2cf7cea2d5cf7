import ConvergentDemo
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

extension Engine {
    /// Loads the demo catalog (activated), customers, billing accounts, agents, installed
    /// contracts, trial-period setup and reason codes into an empty
    /// database. Returns false, changing nothing, when the database already holds a catalog or customers.
    @discardableResult
    public func loadDemo() async throws -> Bool {
        guard try await store.list(.catalogVersion, where: [:], after: nil, limit: 1).isEmpty,
              try await store.list(.customer, where: [:], after: nil, limit: 1).isEmpty else { return false }
        let context = context("system", reason: "demo data")
        let stored = try await catalogs.upload(DemoCatalog.files, context: context)
        try await catalogs.activate(stored.value.summary.version, context: context)
        var writes: [Write] = []
        for customer in DemoCustomers.customers { writes.append(try .insert(customer)) }
        for account in DemoCustomers.billingAccounts { writes.append(try .insert(account)) }
        for user in DemoCustomers.users where try await store.get(User.self, id: user.id) == nil { writes.append(try .insert(user)) }
        for contract in DemoInstalledBase.contracts { writes.append(try .insert(contract)) }
        if try await store.get(TrialSetup.self, id: TrialSetup.id) == nil { writes.append(try .insert(TrialSetup.demo)) }
        if try await store.get(ReasonCodes.self, id: ReasonCodes.id) == nil { writes.append(try .insert(ReasonCodes.demo)) }
        // the demo subscriptions, made as on the day their contract was installed.
        for request in DemoSubscriptions.requests {
            guard let contract = DemoInstalledBase.contracts.first(where: { $0.id == Subscribe.contractID(of: request.installedProduct) }) else { continue }
            let (made, refusals) = request.subscription(from: contract, accounts: DemoCustomers.billingAccounts.filter { $0.owner == contract.customer },
                                                        bills: [], catalog: stored.value.catalog, on: contract.installedOn ?? today)
            guard let made else { throw SubscriptionRefusals(refusals) }
            writes.append(try .insert(made))
        }
        try await store.commit(writes, context: context)
        return true
    }
}
