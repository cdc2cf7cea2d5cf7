import ConvergentDomain
import ConvergentEngine
import Prometheus

/// the job worker's metrics on `/metrics`: jobs due when a round began, jobs running, jobs
/// ended by kind and status, and how long they ran.
public struct PrometheusJobObserver: JobObserver {
    let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    public func due(_ count: Int) {
        registry.makeGauge(name: "convergent_jobs_due", help: "Jobs due (or whose claim ran out) when the worker's last round began").set(to: Double(count))
    }

    public func started(_ kind: JobKind) {
        registry.makeGauge(name: "convergent_jobs_running", labels: [("kind", kind.rawValue)]).increment()
    }

    public func ended(_ kind: JobKind, status: JobStatus, seconds: Double) {
        registry.makeGauge(name: "convergent_jobs_running", labels: [("kind", kind.rawValue)]).decrement()
        registry.makeCounter(name: "convergent_jobs_ended_total", labels: [("kind", kind.rawValue), ("status", status.rawValue)]).increment()
        registry.makeDurationHistogram(name: "convergent_job_run_seconds", labels: [("kind", kind.rawValue)],
                                       buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)])
            .recordNanoseconds(Int64(seconds * 1_000_000_000))
    }
}
