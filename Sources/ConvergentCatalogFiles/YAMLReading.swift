import ConvergentDomain
import Foundation
import Yams

/// Reads YAML nodes into typed values, collecting a problem (with file and line) for each thing
/// that is missing, of the wrong type, or unknown, instead of stopping at the first.
final class ProblemLog {
    var problems: [CatalogProblem] = []
    func add(_ code: CatalogProblem.Code, _ message: String, path: String, file: String, line: Int?) {
        problems.append(CatalogProblem(code, message, path: path, file: file, line: line))
    }
}

struct MappingReader {
    let node: Node.Mapping
    let file: String
    let path: String
    let log: ProblemLog
    private(set) var seen: Set<String> = []

    init?(_ node: Node, file: String, path: String, log: ProblemLog) {
        guard case let .mapping(mapping) = node else {
            log.add(.wrongType, "\(path) should be a mapping (key: value)", path: path, file: file, line: node.mark?.line)
            return nil
        }
        self.node = mapping
        self.file = file
        self.path = path
        self.log = log
    }

    var line: Int { node.mark?.line ?? 0 }

    /// The line of each key, for problems about one field.
    var source: SourceRef {
        var lines: [String: Int] = [:]
        for (key, value) in node { if let k = key.scalar?.string { lines[k] = key.mark?.line ?? value.mark?.line } }
        return SourceRef(file: file, line: line, fieldLines: lines)
    }

    mutating func value(_ key: String) -> Node? {
        seen.insert(key)
        return node.first { $0.key.scalar?.string == key }?.value
    }

    /// Reports keys this element does not know (most often a typo).
    func finish(allowed: [String]) {
        for (key, _) in node {
            let name = key.scalar?.string ?? "?"
            if !allowed.contains(name) {
                log.add(.unknownField, "unknown field '\(name)' in \(path) (known: \(allowed.joined(separator: ", ")))",
                        path: "\(path).\(name)", file: file, line: key.mark?.line)
            }
        }
    }

    func wrong(_ key: String, _ node: Node, expected: String) {
        log.add(.wrongType, "\(path).\(key) should be \(expected)", path: "\(path).\(key)", file: file, line: node.mark?.line)
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let node = value(key) else {
            if required { log.add(.missingField, "\(path) needs '\(key)'", path: "\(path).\(key)", file: file, line: line) }
            return nil
        }
        guard let scalar = node.scalar else { wrong(key, node, expected: "a text value"); return nil }
        return scalar.string
    }

    mutating func int(_ key: String, required: Bool = false) -> Int? {
        guard let text = string(key, required: required) else { return nil }
        guard let v = Int(text) else {
            log.add(.wrongType, "\(path).\(key) should be a whole number, got '\(text)'", path: "\(path).\(key)", file: file, line: lineOf(key))
            return nil
        }
        return v
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            log.add(.wrongType, "\(path).\(key) should be true or false, got '\(text)'", path: "\(path).\(key)", file: file, line: lineOf(key))
            return nil
        }
    }

    mutating func decimal(_ key: String, required: Bool = false) -> Decimal? {
        guard let text = string(key, required: required) else { return nil }
        guard let v = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !text.isEmpty,
              text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else {
            log.add(.wrongType, "\(path).\(key) should be a number, got '\(text)'", path: "\(path).\(key)", file: file, line: lineOf(key))
            return nil
        }
        return v
    }

    mutating func day(_ key: String, required: Bool = false) -> Day? {
        guard let text = string(key, required: required) else { return nil }
        guard let d = Day(text) else {
            log.add(.invalidValue, "\(path).\(key) should be a date as YYYY-MM-DD, got '\(text)'", path: "\(path).\(key)", file: file, line: lineOf(key))
            return nil
        }
        return d
    }

    mutating func choice<T: RawRepresentable>(_ key: String, _: T.Type, required: Bool = false, allowed: [String]) -> T? where T.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        guard let v = T(rawValue: text) else {
            log.add(.invalidValue, "\(path).\(key): '\(text)' is not one of \(allowed.joined(separator: ", "))", path: "\(path).\(key)", file: file, line: lineOf(key))
            return nil
        }
        return v
    }

    mutating func list(_ key: String) -> [Node]? {
        guard let node = value(key) else { return nil }
        guard case let .sequence(seq) = node else { wrong(key, node, expected: "a list"); return nil }
        return Array(seq)
    }

    mutating func strings(_ key: String) -> [String]? {
        guard let nodes = list(key) else { return nil }
        return nodes.compactMap { node in
            guard let s = node.scalar?.string else { wrong(key, node, expected: "a list of text values"); return nil }
            return s
        }
    }

    mutating func period(_ key: String) -> Period? {
        guard let node = value(key) else { return nil }
        guard var m = MappingReader(node, file: file, path: "\(path).\(key)", log: log) else { return nil }
        let p = Period(start: m.day("start"), end: m.day("end"))
        m.finish(allowed: ["start", "end"])
        return p
    }

    func lineOf(_ key: String) -> Int? {
        node.first { $0.key.scalar?.string == key }.flatMap { $0.value.mark?.line ?? $0.key.mark?.line }
    }
}
