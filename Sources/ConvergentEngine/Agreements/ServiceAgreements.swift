import ConvergentDomain
import ConvergentStore
import Foundation

/// service agreements — one by id, a customer's, paged.
public struct ServiceAgreements: Sendable {
    let store: any ConvergentStore

    public func agreement(_ id: String) async throws -> Versioned<ServiceAgreement> {
        guard let found = try await store.get(ServiceAgreement.self, id: id) else {
            throw EngineError(.notFound, "no service agreement '\(id)'", field: "id")
        }
        return found
    }

    public func agreements(of customer: String, after cursor: String? = nil, limit: Int) async throws -> (items: [Versioned<ServiceAgreement>], nextCursor: String?) {
        try await store.page(ServiceAgreement.self, where: ["customer": customer], after: cursor, limit: limit)
    }
}

extension Engine {
    public var agreements: ServiceAgreements { ServiceAgreements(store: store) }
}

extension OrderBook {
    /// the installed products a service agreement line covers (read with their contracts).
    public func setAgreementCoverage(_ covers: [String], ofLine line: Int, inOrder id: String, today: Day, expectedVersion: Int?,
                                     context: ChangeContext) async throws -> Versioned<Order> {
        let catalog = try await catalog(for: try await order(id).value, today: today)
        var installed: [String: InstalledContract] = [:]
        for contractID in Set(covers.map { String($0.prefix { $0 != "." }) }) {
            installed[contractID] = try await store.get(InstalledContract.self, id: contractID)?.value
        }
        return try await change(id, expectedVersion: expectedVersion, context: context) {
            try $0.setAgreementCoverage(covers, ofLine: line, installed: installed, catalog: catalog)
        }
    }
}
