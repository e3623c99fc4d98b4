import { MetricUnit, Metrics } from "@aws-lambda-powertools/metrics";
import type { MetricValue } from "../observability/metricsOf.ts";

/**
 * The one metrics emitter of a function (Powertools: CloudWatch embedded metric format in the
 * log, no API calls). Namespace from `POWERTOOLS_METRICS_NAMESPACE`; off where
 * `POWERTOOLS_METRICS_DISABLED` is set (tests and the local runtime).
 */
export function createMetrics(serviceName = "asye-survey-analytics"): Metrics {
  return new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "AsyeSurvey", serviceName });
}

/** Adds the values and publishes them with the invocation. */
export function publishMetrics(metrics: Metrics, values: readonly MetricValue[]): void {
  for (const { name, value } of values) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}
