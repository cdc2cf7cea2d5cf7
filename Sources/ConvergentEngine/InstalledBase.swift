import ConvergentDomain
import ConvergentStore
import Foundation

/// Installed contracts as orders read them (R-7.6 first part): by id and by customer.
public struct InstalledBase: Sendable {
    let store: any ConvergentStore

    public func contract(_ id: String, field: String = "installedContract") async throws -> InstalledContract {
        guard let found = try await store.get(InstalledContract.self, id: id) else {
            throw EngineError(.notFound, "no installed contract '\(id)'", field: field)
        }
        return found.value
    }

    /// A customer's installed contracts, by id.
    public func contracts(of customer: String) async throws -> [InstalledContract] {
        var found: [InstalledContract] = []
        var cursor: String?
        repeat {
            let page = try await store.all(InstalledContract.self, where: ["customer": customer], after: cursor, limit: 500)
            found += page.map(\.value)
            cursor = page.count == 500 ? page.last?.value.id : nil
        } while cursor != nil
        return found
    }
}

extension Engine {
    public var installedBase: InstalledBase { InstalledBase(store: store) }

    /// the trial-period setup (disabled, with no defaults, when none was stored).
    public func trialSetup() async throws -> Versioned<TrialSetup> {
        try await store.get(TrialSetup.self, id: TrialSetup.id)
            ?? Versioned(value: TrialSetup(enabled: false), version: 0, createdAt: clock.now(), updatedAt: clock.now())
    }

    /// Replaces the trial-period setup (administrators), checked first.
    public func setTrialSetup(_ setup: TrialSetup, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<TrialSetup> {
        try setup.validate()
        let current = try await store.get(TrialSetup.self, id: TrialSetup.id)
        if let expectedVersion, expectedVersion != (current?.version ?? 0) {
            throw StoreError(.conflict, "the trial setup is at version \(current?.version ?? 0), not \(expectedVersion)")
        }
        guard let current else { return try await store.insert(setup, context: context) }
        return try await store.update(setup, expectedVersion: current.version, context: context)
    }
}
