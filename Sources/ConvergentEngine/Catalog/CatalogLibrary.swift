import ConvergentCatalogFiles
import ConvergentDomain
import ConvergentStore
import Foundation

/// Catalog versions: upload (validate, store), activate, look up, diff.
public struct CatalogLibrary: Sendable {
    let store: any ConvergentStore
    let cache: IndexCache
    /// The catalog versions and their record versions, as read within the node cache's lifetime.
    let stamps: ExpiringCache<String, String>

    init(store: any ConvergentStore, stampLifetime: Duration) {
        self.store = store
        cache = IndexCache()
        stamps = ExpiringCache(lifetime: stampLifetime, capacity: 1)
    }

    /// Every catalog version with its record version ("2026.1@3,2026.2@1"): changes when a
    /// version is uploaded or activated. Read again after the node cache's lifetime, and at once
    /// after this node uploads or activates one.
    public func versionStamp() async throws -> String {
        if let stamp = stamps.value(for: "") { return stamp }
        let generation = stamps.generation
        let stamp = try await store.listVersions(.catalogVersion, filter: RecordFilter(), after: nil, limit: 1000)
            .map { "\($0.id)@\($0.version)" }.joined(separator: ",")
        stamps.set(stamp, for: "", readIn: generation)
        return stamp
    }

    /// Validates files and stores them as a new version, not yet active. An invalid catalog is
    /// refused with every problem; nothing is stored.
    @discardableResult
    public func upload(_ files: [CatalogFile], context: ChangeContext) async throws -> Versioned<StoredCatalogVersion> {
        try await insert(try check(files), context: context)
    }

    /// The catalog the files make, checked (syntax, references, integrity) and not stored; its
    /// problems at file and line otherwise (`catalog-invalid`).
    public func check(_ files: [CatalogFile]) throws -> Catalog {
        let validation = CatalogFiles.validate(files)
        guard let catalog = validation.catalog else {
            throw EngineError(.catalogInvalid, "the catalog has \(validation.problems.count) problem(s)", problems: validation.problems)
        }
        return catalog
    }

    @discardableResult
    public func store(_ catalog: Catalog, context: ChangeContext) async throws -> Versioned<StoredCatalogVersion> {
        let problems = CatalogIntegrity.problems(in: catalog)
        guard problems.isEmpty else {
            throw EngineError(.catalogInvalid, "the catalog has \(problems.count) problem(s)", problems: problems)
        }
        return try await insert(catalog, context: context)
    }

    /// Uploads files as a new version and, when `activation` is given, activates it at once (a
    /// second change, with its own history entry and reason).
    public func upload(_ files: [CatalogFile], context: ChangeContext, activation: ChangeContext?) async throws -> Versioned<StoredCatalogVersion> {
        let stored = try await upload(files, context: context)
        guard let activation else { return stored }
        return try await activate(stored.value.summary.version, context: activation)
    }

    /// A stored version as catalog files, one per section, that read back to the same catalog;
    /// or, `asOneFile`, one YAML document with every section (the upload takes it back as it is).
    public func export(_ version: String, asOneFile: Bool = false) async throws -> [CatalogFile] {
        let catalog = try await self.version(version).value.catalog
        return asOneFile ? [try CatalogFiles.renderOne(catalog)] : try CatalogFiles.render(catalog)
    }

    /// Stores a checked catalog as a new version, not yet active.
    private func insert(_ catalog: Catalog, context: ChangeContext) async throws -> Versioned<StoredCatalogVersion> {
        let summary = CatalogVersionSummary(version: catalog.header.version, effectiveFrom: catalog.header.effectiveFrom, status: .validated)
        defer { stamps.removeAll() }
        do {
            return try await store.insert(StoredCatalogVersion(summary: summary, catalog: catalog), context: context)
        } catch let error as StoreError where error.code == .duplicate {
            throw EngineError(.catalogVersionExists, "catalog version \(catalog.header.version) already exists; versions cannot be replaced, upload a new version", field: "catalog.version")
        }
    }

    /// Makes a stored version count from its effective date on.
    @discardableResult
    public func activate(_ version: String, context: ChangeContext) async throws -> Versioned<StoredCatalogVersion> {
        guard let current = try await store.get(StoredCatalogVersion.self, id: version) else {
            throw EngineError(.notFound, "no catalog version '\(version)'")
        }
        guard current.value.summary.status != .active else {
            throw EngineError(.alreadyActive, "catalog version \(version) is already active")
        }
        let sequence = try await store.nextNumber("catalog-activation")
        var updated = current.value
        updated.summary.status = .active
        updated.summary.activationSequence = sequence
        defer { stamps.removeAll() }
        return try await store.update(updated, expectedVersion: current.version, createdAt: current.createdAt, context: context)
    }

    public func versions() async throws -> [CatalogVersionSummary] {
        try await storedVersions().map(\.value.summary)
    }

    /// Every stored catalog version with its record dates, by effective date.
    public func storedVersions() async throws -> [Versioned<StoredCatalogVersion>] {
        try await store.all(StoredCatalogVersion.self)
            .sorted { ($0.value.summary.effectiveFrom, $0.value.summary.version) < ($1.value.summary.effectiveFrom, $1.value.summary.version) }
    }

    public func version(_ version: String) async throws -> Versioned<StoredCatalogVersion> {
        guard let record = try await store.load(.catalogVersion, id: version) else {
            throw EngineError(.notFound, "no catalog version '\(version)'")
        }
        return try await cache.decoded(record)
    }

    /// The version in force on a day. Catalogs are decoded once per stored version and
    /// kept (every order step asks for its catalog).
    public func active(on day: Day) async throws -> StoredCatalogVersion {
        // Ids and versions only: a version already decoded is not read again.
        var found: [String: StoredCatalogVersion] = [:]
        for (id, version) in try await store.listVersions(.catalogVersion, filter: RecordFilter(equals: ["status": "active"]), after: nil, limit: 1000) {
            if let known = await cache.known(id, version: version) {
                found[id] = known.value
            } else if let record = try await store.load(.catalogVersion, id: id) {
                found[id] = try await cache.decoded(record).value
            }
        }
        guard let summary = CatalogVersions.active(on: day, among: found.values.map(\.summary).sorted { $0.version < $1.version }), let stored = found[summary.version] else {
            throw EngineError(.noActiveCatalog, "no catalog version is active on \(day)")
        }
        return stored
    }

    /// The compiled index of a version, built once and shared.
    public func index(of stored: StoredCatalogVersion) async -> CatalogIndex {
        await cache.index(for: stored.catalog)
    }

    public func diff(from a: String, to b: String) async throws -> CatalogDiff {
        CatalogDiff(from: try await version(a).value.catalog, to: try await version(b).value.catalog)
    }
}

actor IndexCache {
    private var indexes: [String: CatalogIndex] = [:]
    private var versions: [String: Versioned<StoredCatalogVersion>] = [:]

    /// A version decoded before, if it is still the stored one.
    func known(_ id: String, version: Int) -> Versioned<StoredCatalogVersion>? {
        guard let known = versions[id], known.version == version else { return nil }
        return known
    }

    /// A stored catalog version decoded, once per id and record version.
    func decoded(_ record: StoredRecord) throws -> Versioned<StoredCatalogVersion> {
        if let known = versions[record.id], known.version == record.version { return known }
        let decoded = Versioned(value: try JSONDecoder().decode(StoredCatalogVersion.self, from: record.data), version: record.version,
                                createdAt: record.createdAt, updatedAt: record.updatedAt)
        versions[record.id] = decoded
        return decoded
    }

    func index(for catalog: Catalog) -> CatalogIndex {
        if let index = indexes[catalog.header.version] { return index }
        let index = CatalogIndex(catalog)
        indexes[catalog.header.version] = index
        return index
    }
}
