import ConvergentDomain
import Yams

/// in catalog files: the `eligibilityRules`, `plans` and `pools` sections.
extension CatalogFiles {
    /// The sections about eligibility and package plans, written together in `plans.yaml`.
    static let planSections = ["eligibilityRules", "plans", "pools"]

    static func readEligibilityRule(_ node: Node, file: String, path: String, log: ProblemLog) -> EligibilityRule? {
        guard var m = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let before = log.problems.count
        let id = m.string("id", required: true) ?? ""
        var attributes: [String: [String]]?
        if let node = m.value("attributes"), case let .mapping(mapping) = node {
            var found: [String: [String]] = [:]
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                switch value {
                case let .scalar(scalar): found[name] = [scalar.string]
                case let .sequence(items): found[name] = items.compactMap(\.string)
                default: log.add(.wrongType, "\(path).attributes.\(name) is a value or a list of values", path: "\(path).attributes.\(name)", file: file, line: value.mark?.line)
                }
            }
            attributes = found
        } else if let node = m.value("attributes") {
            log.add(.wrongType, "\(path).attributes maps attribute names to their values", path: "\(path).attributes", file: file, line: node.mark?.line)
        }
        let rule = EligibilityRule(id: id, name: m.string("name", required: true) ?? "", customerKinds: m.strings("customerKinds"),
                                   segments: m.strings("segments"), countries: m.strings("countries"), attributes: attributes,
                                   roles: m.strings("roles"), permission: m.string("permission"), remedy: m.string("remedy"), origin: m.source)
        m.finish(allowed: ["id", "name", "customerKinds", "segments", "countries", "attributes", "roles", "permission", "remedy"])
        return log.problems.count == before ? rule : nil
    }

    static func readPlan(_ node: Node, file: String, path: String, log: ProblemLog) -> PackagePlan? {
        guard var m = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let before = log.problems.count
        let plan = PackagePlan(id: m.string("id", required: true) ?? "", name: m.string("name", required: true) ?? "",
                               serviceType: m.string("serviceType", required: true) ?? "", rank: m.int("rank", required: true) ?? 0,
                               product: ProductID(m.string("product", required: true) ?? ""), pool: m.string("pool"),
                               eligibleWhen: m.strings("eligibleWhen"), origin: m.source)
        m.finish(allowed: ["id", "name", "serviceType", "rank", "product", "pool", "eligibleWhen"])
        return log.problems.count == before ? plan : nil
    }

    static func readPool(_ node: Node, file: String, path: String, log: ProblemLog) -> PackagePool? {
        guard var m = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let before = log.problems.count
        let id = m.string("id", required: true) ?? ""
        let named = id.isEmpty ? path : "pools[\(id)]"
        let rows: [PackagePool.Row] = (m.list("rows") ?? []).enumerated().compactMap { i, n in
            guard var r = MappingReader(n, file: file, path: "\(named).rows[\(i)]", log: log) else { return nil }
            func money(_ key: String) -> PoolAmount? {
                guard let node = r.value(key), var a = MappingReader(node, file: file, path: "\(r.path).\(key)", log: log) else { return nil }
                let amount = a.decimal("amount", required: true), currency = a.string("currency", required: true)
                a.finish(allowed: ["amount", "currency"])
                guard let amount, let currency else { return nil }
                return PoolAmount(amount: amount, currency: currency)
            }
            let migration = r.choice("migration", PlanChange.self, required: true, allowed: PlanChange.allCases.map(\.rawValue))
            let state = r.choice("state", ContractState.self, required: true, allowed: ContractState.allCases.map(\.rawValue))
            let row = PackagePool.Row(migration: migration ?? .upgrade, state: state ?? .inContract, allowed: r.bool("allowed") ?? true,
                                      fee: money("fee"), discount: money("discount"), origin: r.source)
            r.finish(allowed: ["migration", "state", "allowed", "fee", "discount"])
            return migration == nil || state == nil ? nil : row
        }
        let pool = PackagePool(id: id, name: m.string("name", required: true) ?? "", termMonths: m.int("termMonths", required: true) ?? 0,
                               rows: rows, origin: m.source)
        m.finish(allowed: ["id", "name", "termMonths", "rows"])
        return log.problems.count == before ? pool : nil
    }

    static func eligibilityRule(_ r: EligibilityRule) -> Node {
        map([
            ("id", s(r.id)), ("name", s(r.name)), ("customerKinds", r.customerKinds.flatMap(list)), ("segments", r.segments.flatMap(list)),
            ("countries", r.countries.flatMap(list)),
            ("attributes", r.attributes.map { a in
                map(a.sorted { $0.key < $1.key }.map { ($0.key, list($0.value) ?? Node([Node](), .implicit, Node.Sequence.Style.flow)) }, flow: true)
            }),
            ("roles", r.roles.flatMap(list)), ("permission", r.permission.map(s)), ("remedy", r.remedy.map(s)),
        ])
    }

    static func plan(_ p: PackagePlan) -> Node {
        map([("id", s(p.id)), ("name", s(p.name)), ("serviceType", s(p.serviceType)), ("rank", s(p.rank)), ("product", s(p.product.rawValue)),
             ("pool", p.pool.map(s)), ("eligibleWhen", p.eligibleWhen.flatMap(list))])
    }

    static func pool(_ p: PackagePool) -> Node {
        func money(_ m: PoolAmount?) -> Node? { m.map { map([("amount", s($0.amount)), ("currency", s($0.currency))], flow: true) } }
        return map([
            ("id", s(p.id)), ("name", s(p.name)), ("termMonths", s(p.termMonths)),
            ("rows", p.rows.isEmpty ? nil : Node(p.rows.map { r in
                map([("migration", s(r.migration.rawValue)), ("state", s(r.state.rawValue)), ("allowed", r.allowed ? nil : s(false)),
                     ("fee", money(r.fee)), ("discount", money(r.discount))], flow: true)
            })),
        ])
    }
}
