import Foundation
import HTTPTypes
import Testing

/// every response the server tests receive is checked against the API contract
/// (`Sources/ConvergentAPI/openapi.yaml`) by `scripts/check-responses.py` — its operation,
/// status, media type and body, an undeclared member included. One checker process serves the
/// whole test run; checks are sent to it one at a time.
final class ContractChecker: @unchecked Sendable {
    static let shared = ContractChecker()

    let queue = DispatchQueue(label: "contract-checker")
    var process: Process?
    var input: FileHandle?
    var output: FileHandle?
    var buffer = Data()
    var failure: String?

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Starts the checker on first use; nil, or why it cannot run.
    private func start() -> String? {
        if process != nil || failure != nil { return failure }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.repository.appendingPathComponent("scripts/check-responses.py").path,
                             Self.repository.appendingPathComponent("Sources/ConvergentAPI/openapi.yaml").path]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        do {
            try process.run()
        } catch {
            failure = "the contract checker (python3 scripts/check-responses.py, with PyYAML and jsonschema) did not start: \(error)"
            return failure
        }
        self.process = process
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
        return nil
    }

    private func readLine() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[buffer.index(after: newline)...])
                return Data(line)
            }
            guard let chunk = output?.availableData, !chunk.isEmpty else { return nil }
            buffer.append(chunk)
        }
    }

    /// What is wrong with this response according to the contract; empty when nothing is.
    func problems(method: HTTPRequest.Method, path: String, status: Int, contentType: String?, body: String) async -> [String] {
        let request: [String: Any] = ["method": method.rawValue, "path": path, "status": status, "contentType": contentType ?? "", "body": body]
        guard let line = try? JSONSerialization.data(withJSONObject: request) else { return ["the response could not be sent to the checker"] }
        return await withCheckedContinuation { continuation in
            queue.async {
                if let failure = self.start() { return continuation.resume(returning: [failure]) }
                self.input?.write(line + Data("\n".utf8))
                guard let answer = self.readLine(),
                      let verdict = try? JSONSerialization.jsonObject(with: answer) as? [String: Any] else {
                    self.failure = "the contract checker stopped answering"
                    return continuation.resume(returning: [self.failure!])
                }
                continuation.resume(returning: verdict["problems"] as? [String] ?? [])
            }
        }
    }
}
