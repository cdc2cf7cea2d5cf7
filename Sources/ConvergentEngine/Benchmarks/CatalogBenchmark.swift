import ConvergentCatalogFiles
import ConvergentDomain
import ConvergentStore
import Foundation

/// `convergent bench catalog`: writes a generated catalog of about `products` products on four
/// commercial levels and `rules` rules as YAML, then times reading and checking it (every
/// integrity check) and importing it into a store (check + write), as an upload does.
public enum CatalogBenchmark {
    public struct Result: Codable, Sendable {
        public var products: Int
        public var rules: Int
        public var yaml_bytes: Int
        public var validate_s: Double
        public var import_s: Double
        public var backend: String
    }

    /// Contracts of 4 plays × 4 offers × 10 atomic offers (181 products each) until `products` is
    /// reached, then `rules` prerequisite and exclusion rules between atomic offers of one offer.
    public static func files(products: Int, rules: Int, version: String = "bench-1") -> [CatalogFile] {
        let contracts = max(1, products / 181)
        var text = "products:\n"
        text.reserveCapacity(products * 140 + rules * 160)
        for c in 0..<contracts {
            text += "  - {id: C\(c), name: Contract \(c), kind: contract, components: ["
                + (0..<4).map { "{product: P\(c)-\($0), min: 0, max: 1}" }.joined(separator: ", ") + "]}\n"
            for p in 0..<4 {
                text += "  - {id: P\(c)-\(p), name: Play \(c).\(p), kind: play, components: ["
                    + (0..<4).map { "{product: O\(c)-\(p)-\($0), min: 0, max: 1}" }.joined(separator: ", ") + "]}\n"
                for o in 0..<4 {
                    text += "  - {id: O\(c)-\(p)-\(o), name: Offer \(c).\(p).\(o), kind: offer, components: ["
                        + (0..<10).map { "{product: A\(c)-\(p)-\(o)-\($0), min: 0, max: 2}" }.joined(separator: ", ") + "]}\n"
                    for a in 0..<10 {
                        text += "  - {id: A\(c)-\(p)-\(o)-\(a), name: Atomic \(c).\(p).\(o).\(a), kind: atomicOffer}\n"
                    }
                }
            }
        }
        var ruleText = "rules:\n"
        for r in 0..<rules {
            let c = r % contracts, p = (r / contracts) % 4, o = (r / (contracts * 4)) % 4
            let a = r % 9, b = a + 1
            let first = "A\(c)-\(p)-\(o)-\(a)", second = "A\(c)-\(p)-\(o)-\(b)"
            ruleText += r % 2 == 0
                ? "  - {id: R\(r), kind: commercialPrerequisite, severity: error, required: \(first), dependent: \(second), message: Rule \(r).}\n"
                : "  - {id: R\(r), kind: exclusion, severity: warning, first: \(first), second: \(second), message: Rule \(r).}\n"
        }
        return [CatalogFile(name: "catalog.yaml", text: "catalog:\n  version: \"\(version)\"\n  effective: 2026-01-01\n  name: Benchmark\n"),
                CatalogFile(name: "products.yaml", text: text), CatalogFile(name: "rules.yaml", text: ruleText)]
    }

    public static func run(engine: Engine, products: Int, rules: Int) async throws -> Result {
        let files = files(products: products, rules: rules, version: "bench-\(UUID().uuidString.prefix(8))")
        let clock = ContinuousClock()
        var validation: CatalogFiles.Validation?
        let validate = clock.measure { validation = CatalogFiles.validate(files) }
        guard let catalog = validation?.catalog else {
            throw EngineError(.catalogInvalid, "the generated catalog has problems", problems: validation?.problems ?? [])
        }
        let imported = try await clock.measure {
            _ = try await engine.catalogs.upload(files, context: engine.context("bench", reason: "catalog benchmark"))
        }
        func seconds(_ d: Duration) -> Double { (d.seconds * 1000).rounded() / 1000 }
        return Result(products: catalog.products.count, rules: catalog.rules.count, yaml_bytes: files.reduce(0) { $0 + $1.text.utf8.count },
                      validate_s: seconds(validate), import_s: seconds(imported), backend: engine.store.backend)
    }
}
