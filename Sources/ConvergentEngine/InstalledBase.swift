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

    /// an installed contract as it was at the end of `day` (UTC), from its history.
    public func contract(_ id: String, asOf day: Day) async throws -> Versioned<InstalledContract> {
        guard let found = try await store.get(InstalledContract.self, id: id, asOf: day.adding(days: 1).startDate.addingTimeInterval(-0.001)) else {
            if try await store.get(InstalledContract.self, id: id) == nil { throw EngineError(.notFound, "no installed contract '\(id)'", field: "id") }
            throw EngineError(.notFound, "installed contract \(id) did not exist yet on \(day)", field: "asOf")
        }
        return found
    }

    /// A customer's installed contracts, by id.
    public func contracts(of customer: String) async throws -> [InstalledContract] {
        try await store.everything(InstalledContract.self, filter: RecordFilter(equals: ["customer": customer])).map(\.value)
    }
}

extension Engine {
    public var installedBase: InstalledBase { InstalledBase(store: store) }

    /// A setup record (trial periods, reason codes): the stored one, else its empty default at version 0.
    public func setting<S: OrderSetting>(_ type: S.Type) async throws -> Versioned<S> {
        try await store.get(S.self, id: S.settingID) ?? Versioned(value: S.unset, version: 0, createdAt: clock.now(), updatedAt: clock.now())
    }

    /// Replaces a setup record (administrators), checked first; `If-Match` as everywhere (0: none stored yet).
    public func setSetting<S: OrderSetting>(_ setting: S, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<S> {
        try setting.validate()
        let current = try await store.get(S.self, id: S.settingID)
        if let expectedVersion, expectedVersion != (current?.version ?? 0) {
            throw StoreError(.conflict, "\(S.settingID) is at version \(current?.version ?? 0), not \(expectedVersion)")
        }
        guard let current else { return try await store.insert(setting, context: context) }
        return try await store.update(setting, expectedVersion: current.version, context: context)
    }
}

/// A setup record kept by administrators, stored as a `setting` aggregate under a fixed id.
public protocol OrderSetting: Aggregate {
    static var settingID: String { get }
    /// What applies when nothing was set up.
    static var unset: Self { get }
    func validate() throws(OrderError)
}

extension TrialSetup: OrderSetting {
    public static var settingID: String { id }
    public static var unset: TrialSetup { TrialSetup(enabled: false) }
}

extension ReasonCodes: OrderSetting {
    public static var settingID: String { id }
    public static var unset: ReasonCodes { ReasonCodes() }
}
