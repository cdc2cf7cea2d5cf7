import ConvergentCatalogFiles
import ConvergentDomain
import ConvergentStore
import Foundation

/// The use cases of Convergent over one store and one clock.
public struct Engine: Sendable {
    public let store: any ConvergentStore
    public let clock: any ConvergentClock
    public let catalogs: CatalogLibrary
    public let parties: PartyDirectory
    public let access: AccessControl
    /// the simulator, the HTTP adapters by provisioning system, retries and time-outs.
    public let provisioning: ProvisioningSetup
    /// Open sessions' configurations on this node (R-4.2: a session request costs its change).
    public let sessionCache: SessionCache

    /// - Parameters:
    ///   - sessionCacheCapacity: open sessions kept configured in memory (0: rebuild every request).
    ///   - nodeCacheLifetime: how long this node trusts a token check and the list of catalog
    ///     versions without reading them again (0: every request reads them). Changes made through
    ///     this node apply at once; changes made by another node sharing the database, within it.
    public init(store: any ConvergentStore, clock: any ConvergentClock = SystemClock(), provisioning: ProvisioningSetup = ProvisioningSetup(),
                sessionCacheCapacity: Int = 512, nodeCacheLifetime: Duration = .seconds(1)) {
        self.store = store
        sessionCache = SessionCache(capacity: sessionCacheCapacity)
        self.clock = clock
        self.provisioning = provisioning
        catalogs = CatalogLibrary(store: store, stampLifetime: nodeCacheLifetime)
        parties = PartyDirectory(store: store)
        access = AccessControl(store: store, tokenLifetime: nodeCacheLifetime)
    }

    public var today: Day { Day(clock.now()) }

    public var fulfiller: Fulfiller { Fulfiller(store: store, orders: orders, setup: provisioning) }

    /// Moves a test clock forward (`serve --clock test`); the system clock refuses.
    public func advanceClock(by seconds: TimeInterval) throws -> Date {
        guard let adjustable = clock as? any AdjustableClock else {
            throw EngineError(.clockNotAdjustable, "the server runs on the system clock; start it with --clock test to move time")
        }
        try adjustable.advance(by: seconds)
        return clock.now()
    }

    public func context(_ actor: String, reason: String? = nil) -> ChangeContext {
        ChangeContext(actor: actor, at: clock.now(), reason: reason)
    }
}

/// A stateless verification: a configuration document, optional operations to apply first.
public struct VerifyRequest: Hashable, Sendable, Codable {
    public var catalogVersion: String?
    public var configuration: ConfigurationDocument
    public var operations: [ConfigurationOperation]?

    public init(catalogVersion: String? = nil, configuration: ConfigurationDocument, operations: [ConfigurationOperation]? = nil) {
        self.catalogVersion = catalogVersion
        self.configuration = configuration
        self.operations = operations
    }
}

public struct VerifyResult: Hashable, Sendable, Codable {
    public var catalogVersion: String
    public var status: ConfigurationStatus
    /// Set when an operation could not be applied without a choice; it and the operations after it were not applied.
    public var question: PlacementQuestion?
    public var questionOperation: Int?
    public var applied: [BatchOutcome.Applied]
    public var report: VerificationReport
    public var configuration: ConfigurationDocument
}

extension Engine {
    /// Builds the configuration with the catalog in force on its product selling date (or the
    /// version asked for), applies the operations in order, and verifies. The same
    /// engine sessions use; nothing is stored.
    public func verify(_ request: VerifyRequest) async throws -> VerifyResult {
        let day = request.configuration.productSellingDate ?? today
        let stored = if let version = request.catalogVersion { try await catalogs.version(version).value } else { try await catalogs.active(on: day) }
        let index = await catalogs.index(of: stored)
        var configuration: Configuration
        do {
            configuration = try Configuration(document: request.configuration, catalog: index, today: today)
        } catch {
            throw ConfigurationError(error.code, error.message, field: error.field.map { "configuration.\($0)" })
        }
        let outcome = try configuration.apply(request.operations ?? [])
        return VerifyResult(catalogVersion: stored.catalog.header.version, status: configuration.status, question: outcome.question,
                            questionOperation: outcome.questionOperation, applied: outcome.applied, report: configuration.report(),
                            configuration: configuration.document())
    }
}

extension Duration {
    /// In seconds, with its fraction.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension Engine {
    /// The database's kind once it answered a read (what `/health` reports).
    public func databaseAnswers() async throws -> String {
        _ = try await store.appliedMigrations()
        return store.backend
    }

    /// a page of an aggregate's history, by version after `afterVersion`.
    public func history(_ kind: AggregateKind, id: String, afterVersion: Int, limit: Int) async throws -> [HistoryEntry] {
        try await store.history(kind, id: id, afterVersion: afterVersion, limit: limit)
    }

    /// a page of the history of the aggregate a path names (`installed-contract`), as
    /// `reader` may see it: users' and tokens' histories are for administrators. Unknown kinds and
    /// aggregates without history are refused (404).
    public func history(kindNamed name: String, id: String, afterVersion: Int, limit: Int, reader: User) async throws -> [HistoryEntry] {
        guard let kind = AggregateKind(named: name) else {
            throw EngineError(.unknownKind, "no kind '\(name)'; kinds: \(AggregateKind.allCases.map(\.pathName).joined(separator: ", "))", field: "kind")
        }
        if kind == .apiToken || kind == .user, !reader.may(.manageUsers) {
            throw EngineError(.forbidden, "only administrators read the history of users and tokens")
        }
        let entries = try await history(kind, id: id, afterVersion: afterVersion, limit: limit)
        guard !entries.isEmpty || afterVersion > 0 else { throw EngineError(.notFound, "no history for \(kind.pathName) '\(id)'") }
        return entries
    }
}
