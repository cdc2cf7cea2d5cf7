/// R-9.1: what a commitment line commits: the line whose configuration brought it (Brings
/// Commitment / Covers Because Of), the component that triggered it, and the components it
/// covers (Commits / Is Committed), by instance key in that line's configuration.
public struct LineCommitment: Hashable, Sendable, Codable {
    public var commits: Int
    public var triggeredBy: String
    public var covers: [String]
    /// Chosen by the agent among several (R-9.1), rather than the one that applied.
    public var chosen: Bool?
    /// The installed ids fulfillment gave the committed line's new components, by instance key,
    /// recorded when it starts: a service line's new components are numbered after what its
    /// contract holds then, which completion cannot work out again.
    public var installed: [String: String]?

    public init(commits: Int, triggeredBy: String, covers: [String], chosen: Bool? = nil) {
        self.commits = commits
        self.triggeredBy = triggeredBy
        self.covers = covers
        self.chosen = chosen
    }
}

extension Order {
    /// R-9.1: the order's commitment lines, in line order.
    public var commitmentLines: [OrderLine] { lines.filter { $0.commitment != nil } }

    /// R-9.1: the commitments a line's configuration triggers — a new bundle's, or the
    /// components a change adds to an installed one — each with the first new component (in
    /// tree order) that triggered it. Installed components, those migrating in and what a
    /// migration made in their place (`migrated`: the keys of what migrations created, with
    /// what is under them) bring none: what they brought was brought when they were sold.
    public static func triggeredCommitments(of line: OrderLine, catalog: CatalogIndex, migrated: Set<String> = []) -> [(commitment: ProductID, by: String)] {
        guard line.commitment == nil, line.isNew || [.change, .suspendChange].contains(line.action), let root = line.configuration?.root else { return [] }
        var found: [(ProductID, String)] = []
        func visit(_ c: ConfigurationDocument.Component) {
            guard !migrated.contains(c.id) else { return }
            if c.installedStatus == nil, c.removed != true {
                for commitment in catalog.commitmentTriggers[c.product] ?? [] where !found.contains(where: { $0.0 == commitment }) {
                    found.append((commitment, c.id))
                }
            }
            for child in c.components ?? [] { visit(child) }
        }
        visit(root)
        return found
    }

    /// R-9.1: the components of a line a commitment covers (its covering rules), by key; the
    /// triggering component when no covering rule names anything the line holds. On an
    /// installed contract, only what the line adds: installed products keep the commitments
    /// they were sold with (and can be added to one later, R-9.4).
    static func covered(by commitment: ProductID, in line: OrderLine, triggeredBy: String, catalog: CatalogIndex) -> [String] {
        let products = catalog.commitmentCoverage[commitment] ?? []
        var keys: [String] = []
        func visit(_ c: ConfigurationDocument.Component) {
            if c.removed != true, products.contains(c.product), line.isNew || c.installedStatus == nil { keys.append(c.id) }
            for child in c.components ?? [] { visit(child) }
        }
        if let root = line.configuration?.root { visit(root) }
        return keys.isEmpty ? [triggeredBy] : keys
    }

    /// R-9.1: brings the commitment lines in line with what the lines configure: a line whose
    /// new components trigger exactly one commitment gets its commitment line (after the last
    /// line, with its own number); one that triggers several asks the agent to choose
    /// (`commitmentChoices`, held CMTCHO until `chooseCommitment`); one that triggers none any
    /// more loses its commitment line. Coverage follows the configuration. Returns what changed.
    @discardableResult
    public mutating func refreshCommitments(catalog: CatalogIndex) -> [String] {
        guard status == .draft || status == .held else { return [] }
        var changes: [String] = []
        for line in lines where line.commitment == nil {
            let triggered = Self.triggeredCommitments(of: line, catalog: catalog, migrated: migratedKeys)
            let existing = lines.filter { $0.commitment?.commits == line.number }
            let candidates = triggered.map(\.commitment)
            // The one to keep or add: the only candidate, else the agent's choice while it is still offered.
            let keep: (commitment: ProductID, by: String)?
            if triggered.count == 1 {
                keep = triggered[0]
            } else if let chosen = existing.first(where: { $0.commitment?.chosen == true && candidates.contains($0.product) }) {
                keep = triggered.first { $0.commitment == chosen.product }
            } else {
                keep = nil
            }
            let i = lines.firstIndex { $0.number == line.number }!
            let choices = triggered.count > 1 && keep == nil ? candidates : nil
            if lines[i].commitmentChoices != choices {
                lines[i].commitmentChoices = choices
                if let choices { changes.append("line \(line.number) triggers \(choices.map(\.rawValue).joined(separator: ", ")): choose one") }
            }
            for old in existing where old.product != keep?.commitment {
                lines.removeAll { $0.number == old.number }
                changes.append("commitment line \(old.number) (\(old.product)) removed: line \(line.number) no longer brings it")
            }
            guard let keep else { continue }
            let covers = Self.covered(by: keep.commitment, in: line, triggeredBy: keep.by, catalog: catalog)
            if let j = lines.firstIndex(where: { $0.commitment?.commits == line.number }) {
                lines[j].commitment?.triggeredBy = keep.by
                lines[j].commitment?.covers = covers
                lines[j].customer = line.customer
            } else {
                lines.append(OrderLine(number: nextLineNumber, action: .add, reason: nil, customer: line.customer, product: keep.commitment,
                                       installedContract: nil, configurationStatus: .valid, configuration: nil, status: .open, clonedFrom: nil,
                                       commitment: LineCommitment(commits: line.number, triggeredBy: keep.by, covers: covers,
                                                                  chosen: triggered.count > 1 ? true : nil)))
                changes.append("commitment line \(nextLineNumber) (\(keep.commitment)) added for line \(line.number)")
                nextLineNumber += 1
            }
        }
        // A commitment line whose line left the order goes with it; one that stays is as valid as
        // the configuration that brings it.
        let numbers = Set(lines.map(\.number))
        lines.removeAll { $0.commitment.map { !numbers.contains($0.commits) } ?? false }
        followBundleStatus()
        return changes
    }

    /// The keys of what the order's migrations created (targets, missing ancestors, new contracts).
    var migratedKeys: Set<String> { Set(migrations.flatMap { [$0.migration.target] + $0.migration.created }) }

    /// R-9.2: records, when fulfillment starts, the installed ids the line's new components got
    /// (`keys`: instance key to installed id) on the commitment lines that commit it.
    public mutating func recordInstalledIDs(ofLine number: Int, keys: [String: String]) {
        guard !keys.isEmpty else { return }
        for i in lines.indices where lines[i].commitment?.commits == number { lines[i].commitment?.installed = keys }
    }

    /// A commitment line's configuration status is its bundle line's (the configuration that brings it).
    mutating func followBundleStatus() {
        let statuses = Dictionary(uniqueKeysWithValues: lines.map { ($0.number, $0.configurationStatus) })
        for i in lines.indices {
            if let commits = lines[i].commitment?.commits, let status = statuses[commits] { lines[i].configurationStatus = status }
        }
    }

    /// R-9.1: the agent's answer when a line triggers several commitments.
    public mutating func chooseCommitment(_ commitment: ProductID, forLine number: Int, catalog: CatalogIndex) throws(OrderError) {
        try requireEditable()
        let line = try line(number)
        let offered = Self.triggeredCommitments(of: line, catalog: catalog, migrated: migratedKeys)
        guard offered.count > 1, let pick = offered.first(where: { $0.commitment == commitment }) else {
            let names = offered.map(\.commitment.rawValue).joined(separator: ", ")
            throw OrderError(.notOffered, offered.count > 1 ? "line \(number) offers \(names), not \(commitment)"
                : "line \(number) has no commitment to choose (\(offered.isEmpty ? "none applies" : "only \(names) applies"))", field: "commitment")
        }
        lines.removeAll { $0.commitment?.commits == number }
        let i = lines.firstIndex { $0.number == number }!
        lines[i].commitmentChoices = nil
        lines.append(OrderLine(number: nextLineNumber, action: .add, reason: nil, customer: line.customer, product: commitment,
                               installedContract: nil, configurationStatus: line.configurationStatus, configuration: nil, status: .open, clonedFrom: nil,
                               commitment: LineCommitment(commits: number, triggeredBy: pick.by,
                                                          covers: Self.covered(by: commitment, in: line, triggeredBy: pick.by, catalog: catalog), chosen: true)))
        nextLineNumber += 1
    }
}
