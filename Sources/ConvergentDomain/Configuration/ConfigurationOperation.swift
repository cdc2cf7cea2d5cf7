/// An operation on a configuration as data: what API requests and sessions send.
public enum ConfigurationOperation: Hashable, Sendable {
    case add(product: ProductID, contract: String, parent: String?, placements: [ProductID: String])
    case addInstance(instance: String, placements: [ProductID: String])
    case remove(instance: String)
    case setAttribute(instance: String, name: String, value: String)
    case removeAttribute(instance: String, name: String)
    case link(from: String, to: String)
    case unlink(from: String, to: String)
    /// migrates an installed component with a migration action, under `parent` or into a new contract.
    case migrate(instance: String, action: String, destination: MigrationDestination)
    case reverseMigration(migration: String)
}

extension ConfigurationOperation: Codable {
    enum Keys: String, CodingKey { case op, product, contract, parent, placements, instance, name, value, from, to, action, newContract, migration }

    struct NewContract: Codable {
        var product: ProductID
        var customer: String
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let op = try c.decode(String.self, forKey: .op)
        func placements() throws -> [ProductID: String] {
            (try c.decodeIfPresent([String: String].self, forKey: .placements) ?? [:])
                .reduce(into: [:]) { $0[ProductID($1.key)] = $1.value }
        }
        switch op {
        case "add":
            self = .add(product: try c.decode(ProductID.self, forKey: .product), contract: try c.decode(String.self, forKey: .contract),
                        parent: try c.decodeIfPresent(String.self, forKey: .parent), placements: try placements())
        case "addInstance": self = .addInstance(instance: try c.decode(String.self, forKey: .instance), placements: try placements())
        case "remove": self = .remove(instance: try c.decode(String.self, forKey: .instance))
        case "setAttribute":
            self = .setAttribute(instance: try c.decode(String.self, forKey: .instance), name: try c.decode(String.self, forKey: .name),
                                 value: try c.decode(String.self, forKey: .value))
        case "removeAttribute": self = .removeAttribute(instance: try c.decode(String.self, forKey: .instance), name: try c.decode(String.self, forKey: .name))
        case "link": self = .link(from: try c.decode(String.self, forKey: .from), to: try c.decode(String.self, forKey: .to))
        case "unlink": self = .unlink(from: try c.decode(String.self, forKey: .from), to: try c.decode(String.self, forKey: .to))
        case "migrate":
            let new = try c.decodeIfPresent(NewContract.self, forKey: .newContract)
            let destination: MigrationDestination
            switch MigrationDestination.named(parent: try c.decodeIfPresent(String.self, forKey: .parent), newContract: new.map { ($0.product, $0.customer) }) {
            case let .success(named): destination = named
            case let .failure(refused): throw DecodingError.dataCorruptedError(forKey: .parent, in: c, debugDescription: refused.message)
            }
            self = .migrate(instance: try c.decode(String.self, forKey: .instance), action: try c.decode(String.self, forKey: .action), destination: destination)
        case "reverseMigration": self = .reverseMigration(migration: try c.decode(String.self, forKey: .migration))
        default:
            throw DecodingError.dataCorruptedError(forKey: .op, in: c, debugDescription:
                "unknown operation '\(op)' (add, addInstance, remove, setAttribute, removeAttribute, link, unlink, migrate, reverseMigration)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        func put(_ placements: [ProductID: String]) throws {
            if !placements.isEmpty { try c.encode(Dictionary(uniqueKeysWithValues: placements.map { ($0.key.rawValue, $0.value) }), forKey: .placements) }
        }
        switch self {
        case let .add(product, contract, parent, placements):
            try c.encode("add", forKey: .op)
            try c.encode(product, forKey: .product)
            try c.encode(contract, forKey: .contract)
            try c.encodeIfPresent(parent, forKey: .parent)
            try put(placements)
        case let .addInstance(instance, placements):
            try c.encode("addInstance", forKey: .op)
            try c.encode(instance, forKey: .instance)
            try put(placements)
        case let .remove(instance):
            try c.encode("remove", forKey: .op)
            try c.encode(instance, forKey: .instance)
        case let .setAttribute(instance, name, value):
            try c.encode("setAttribute", forKey: .op)
            try c.encode(instance, forKey: .instance)
            try c.encode(name, forKey: .name)
            try c.encode(value, forKey: .value)
        case let .removeAttribute(instance, name):
            try c.encode("removeAttribute", forKey: .op)
            try c.encode(instance, forKey: .instance)
            try c.encode(name, forKey: .name)
        case let .link(from, to):
            try c.encode("link", forKey: .op)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
        case let .unlink(from, to):
            try c.encode("unlink", forKey: .op)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
        case let .migrate(instance, action, destination):
            try c.encode("migrate", forKey: .op)
            try c.encode(instance, forKey: .instance)
            try c.encode(action, forKey: .action)
            switch destination {
            case let .parent(parent): try c.encode(parent, forKey: .parent)
            case let .newContract(product, customer): try c.encode(NewContract(product: product, customer: customer), forKey: .newContract)
            }
        case let .reverseMigration(migration):
            try c.encode("reverseMigration", forKey: .op)
            try c.encode(migration, forKey: .migration)
        }
    }
}

extension Configuration {
    /// Applies one operation; throws without changing anything when it is refused.
    @discardableResult
    public mutating func apply(_ operation: ConfigurationOperation) throws(ConfigurationError) -> OperationOutcome {
        switch operation {
        case let .add(product, contract, parent, placements):
            return try add(product, toContract: contract, under: parent, placements: placements)
        case let .addInstance(instance, placements):
            return try addInstance(of: instance, placements: placements)
        case let .remove(instance):
            return try remove(instance)
        case let .setAttribute(instance, name, value):
            try setAttribute(name, to: value, on: instance)
        case let .removeAttribute(instance, name):
            try removeAttribute(name, on: instance)
        case let .link(from, to):
            try link(from, to: to)
        case let .unlink(from, to):
            try unlink(from, from: to)
        case let .migrate(instance, action, destination):
            return try migrate(instance, action: action, to: destination)
        case let .reverseMigration(migration):
            return try reverseMigration(migration)
        }
        return .applied(created: [], removed: [])
    }
}

/// The outcome of applying operations in order: what each applied operation created and
/// removed, and the question that stopped the batch, if one did.
public struct BatchOutcome: Hashable, Sendable, Codable {
    public struct Applied: Hashable, Sendable, Codable {
        public var created: [String]
        public var removed: [String]
    }

    public var applied: [Applied] = []
    /// Asked by operation `questionOperation`; it and the operations after it were not applied.
    public var question: PlacementQuestion?
    public var questionOperation: Int?
}

extension Configuration {
    /// Applies operations in order, stopping at the first question. A refused operation throws
    /// with `operations[i]` in its field; the ones before it stay applied to this value, so a
    /// caller that must not keep half a batch applies it to a copy.
    public mutating func apply(_ operations: [ConfigurationOperation]) throws(ConfigurationError) -> BatchOutcome {
        var outcome = BatchOutcome()
        for (i, operation) in operations.enumerated() {
            let result: OperationOutcome
            do {
                result = try apply(operation)
            } catch {
                throw ConfigurationError(error.code, "operation \(i): \(error.message)", field: "operations[\(i)]" + (error.field.map { ".\($0)" } ?? ""))
            }
            switch result {
            case let .question(question):
                outcome.question = question
                outcome.questionOperation = i
                return outcome
            case let .applied(created, removed):
                outcome.applied.append(.init(created: created, removed: removed))
            }
        }
        return outcome
    }
}
