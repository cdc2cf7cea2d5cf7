import ConvergentDomain
import ConvergentStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `convergent bench commitments`: loads commitment contracts directly through the store — each
/// covering one installed product, 5 % of them ended before the end date, 10 % past their end
/// date — and times the daily run over them, with the process's peak memory.
public enum CommitmentBenchmark {
    public struct Result: Codable, Sendable {
        public var backend: String
        public var contracts: Int
        public var load_s: Double
        public var run_s: Double
        public var checked: Int
        public var violated: Int
        public var expired: Int
        /// The process's peak resident memory: its heap and stacks, and the pages of the SQLite
        /// file it maps (up to `mmap_size`; the kernel's file cache, given back under pressure).
        public var peak_rss_mb: Double
        /// The peak of its anonymous memory alone (heap and stacks, no mapped file), sampled
        /// every 20 ms during the daily run.
        public var run_peak_anon_mb: Double
        /// What one changed commitment costs on one core, in microseconds, timed after the run over
        /// the commitments it changed (up to 2,000): what calibrates the run against the machine.
        public var per_change_us: PerChange
    }

    /// One core's time per changed commitment, by step of the run (`Commitments.judge`).
    public struct PerChange: Codable, Sendable {
        /// The stored document read into the domain value (JSONDecoder).
        public var decode: Double
        /// Judged as of the day (the domain's pure function).
        public var judge: Double
        /// The new document encoded (JSONEncoder), with its columns and index rows: the write the run makes, less its history entry.
        public var encode: Double
        /// The history entry: both versions parsed, diffed, the patch written.
        public var history_entry: Double
    }

    /// The day the run is timed as of.
    public static let asOf = Day("2027-06-01")!

    public static func run(engine: Engine, contracts count: Int, progress: @Sendable (String) -> Void = { _ in }) async throws -> Result {
        let context = ChangeContext(actor: "bench", at: engine.clock.now(), reason: "bench commitments")
        let terms = CommitmentTerms(duration: 24, unit: .months, penaltyAmount: 240, penaltyCurrency: "EUR", penaltyRule: .reducing)
        let perContract = 100
        let start = ContinuousClock.now
        // Installed contracts of 100 products each; every 20th product disconnected ten days before.
        var contractIndex = 0
        while contractIndex * perContract < count {
            let batch = contractIndex..<min(contractIndex + 10, (count + perContract - 1) / perContract)
            try await engine.store.commit(try batch.map { k in
                let id = "IC-BENCH-\(k)"
                let products = (1...perContract).map { i in
                    let ended = i % 20 == 0
                    return InstalledProduct(id: "\(id).\(i)", product: "FIBER-500", status: ended ? .disconnected : .active,
                                            installedOn: Day("2025-01-01"), disconnectedOn: ended ? asOf.adding(days: -10) : nil)
                }
                return try .insert(InstalledContract(id: id, customer: "CUST-BENCH-\(k % 1000)", installedOn: Day("2025-01-01"),
                                                     root: InstalledProduct(id: id, product: "HOME-CONTRACT", status: .active, components: products)))
            }, context: context)
            contractIndex = batch.upperBound
        }
        // One commitment per product: 10 % started 25 months before (elapsed), the rest 6 months before.
        var n = 0
        while n < count {
            let batch = n..<min(n + 1000, count)
            try await engine.store.commit(try batch.map { k in
                let contract = "IC-BENCH-\(k / perContract)", product = "\(contract).\(k % perContract + 1)"
                let start = k % 10 == 1 ? asOf.adding(months: -25) : asOf.adding(months: -6)
                return try .insert(CommitmentContract(id: "CC-BENCH-\(k)", customer: "CUST-BENCH-\((k / perContract) % 1000)", product: "COMMIT-24M",
                                                      terms: terms, order: "BENCH", line: k, triggeredBy: product,
                                                      covers: [CommitmentCoverage(installedProduct: product, installedContract: contract, product: "FIBER-500")],
                                                      startsOn: start, trialEndsOn: nil, monthlyFee: 39.9, currency: "EUR"))
            }, context: context)
            n = batch.upperBound
            if n % 100_000 == 0 { progress("loaded \(n) commitment contracts") }
        }
        let loaded = ContinuousClock.now
        progress("running the day as of \(asOf)")
        let sampler = Task {
            var peak = anonymousMemoryMB()
            while !Task.isCancelled {
                peak = max(peak, anonymousMemoryMB())
                try? await Task.sleep(for: .milliseconds(20))
            }
            return peak
        }
        let report = try await engine.commitments.run(asOf: asOf, context: ChangeContext(actor: "bench", at: engine.clock.now(), reason: "bench run"))
        let ran = ContinuousClock.now
        sampler.cancel()
        let runPeakAnon = max(await sampler.value, anonymousMemoryMB())
        let perChange = try await perChange(engine: engine)
        return Result(backend: engine.store.backend, contracts: count, load_s: ScaleBenchmark.seconds(loaded - start), run_s: ScaleBenchmark.seconds(ran - loaded),
                      checked: report.checked, violated: report.violated, expired: report.expired, peak_rss_mb: peakMemoryMB(),
                      run_peak_anon_mb: runPeakAnon, per_change_us: perChange)
    }

    /// Each step of a change timed alone on one core, over the versions the run read (from history)
    /// and wrote: the run's cost per change is about their sum, plus the database's.
    static func perChange(engine: Engine) async throws -> PerChange {
        var changed: [Versioned<CommitmentContract>] = []
        for status in [CommitmentStatus.violated, .expired] {
            changed += try await engine.store.all(CommitmentContract.self, where: ["status": status.rawValue], limit: 1_000)
        }
        var before: [Data] = [], after: [Data] = [], covered: [String: Day] = [:]
        for contract in changed {
            guard let first = try await engine.store.history(.commitmentContract, id: contract.value.id, afterVersion: 0, limit: 1).first else { continue }
            before.append(Data(first.data.utf8))
            after.append(try Write.update(contract.value, expectedVersion: 1).data)
            for c in contract.value.covers { if let end = c.endedOn { covered[c.installedProduct] = end } }
        }
        guard !before.isEmpty else { return PerChange(decode: 0, judge: 0, encode: 0, history_entry: 0) }
        func perDocument(_ body: () throws -> Void) rethrows -> Double {
            let start = ContinuousClock.now
            try body()
            return ScaleBenchmark.seconds(ContinuousClock.now - start) * 1e6 / Double(before.count)
        }
        var read: [CommitmentContract] = []
        let decoder = JSONDecoder()
        let decode = try perDocument { read = try before.map { try decoder.decode(CommitmentContract.self, from: $0) } }
        var judged: [CommitmentContract] = []
        let judge = perDocument { judged = read.map { $0.judged(asOf: asOf, ended: covered) ?? $0 } }
        let encode = try perDocument { for c in judged { _ = try Write.insert(c) } }
        let entry = perDocument {
            for (i, (old, new)) in zip(before, after).enumerated() {
                _ = HistoryEncoding.entry(kind: .commitmentContract, id: "bench-\(i)", previous: old, new: new, version: 2)
            }
        }
        return PerChange(decode: decode, judge: judge, encode: encode, history_entry: entry)
    }

    /// The process's anonymous resident memory now (Linux: `RssAnon` of /proc/self/status), 0 elsewhere.
    static func anonymousMemoryMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
              let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return kilobytes / 1024
    }

    /// The process's peak resident memory (Linux: kilobytes from getrusage).
    static func peakMemoryMB() -> Double {
        #if canImport(Glibc)
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
        #else
        return 0
        #endif
    }
}
