import type { Registry } from 'prom-client';

/**
 * CloudWatch Embedded Metric Format: one JSON line per label set on stdout, which the awslogs driver
 * ships to CloudWatch Logs and CloudWatch turns into metrics without any API call from the task.
 * Counters are sent as the increase since the previous publication (CloudWatch sums them);
 * gauges as their current value.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export interface EmfOptions {
  registry: Registry;
  namespace?: string; // 'netsidecar'
  write?: (line: string) => void;
  now?: () => number;
}

export class EmfPublisher {
  private readonly previous = new Map<string, number>();
  private readonly namespace: string;
  private readonly write: (line: string) => void;
  private readonly now: () => number;

  constructor(private readonly options: EmfOptions) {
    this.namespace = options.namespace ?? 'netsidecar';
    this.write = options.write ?? ((line) => void process.stdout.write(line + '\n'));
    this.now = options.now ?? Date.now;
  }

  /** Builds and writes the EMF documents for the current values; returns them for tests. */
  async publish(): Promise<object[]> {
    const families = await this.options.registry.getMetricsAsJSON();
    const byLabels = new Map<string, { labels: Record<string, string>; values: Map<string, { value: number; unit: string }> }>();
    for (const family of families) {
      const isCounter = family.type === ('counter' as unknown as typeof family.type);
      for (const sample of family.values) {
        const labels = Object.fromEntries(Object.entries(sample.labels).map(([k, v]) => [k, String(v)]));
        const labelKey = JSON.stringify(Object.entries(labels).sort());
        let value = sample.value;
        if (isCounter) {
          const seriesKey = `${family.name}${labelKey}`;
          const before = this.previous.get(seriesKey) ?? 0;
          this.previous.set(seriesKey, value);
          value = Math.max(0, value - before);
        }
        let group = byLabels.get(labelKey);
        if (!group) byLabels.set(labelKey, (group = { labels, values: new Map() }));
        group.values.set(family.name, { value, unit: family.name.endsWith('_bytes') ? 'Bytes' : 'Count' });
      }
    }
    const documents: object[] = [];
    for (const { labels, values } of byLabels.values()) {
      const document = {
        _aws: {
          Timestamp: this.now(),
          CloudWatchMetrics: [
            {
              Namespace: this.namespace,
              Dimensions: [Object.keys(labels)],
              Metrics: [...values.keys()].map((name) => ({ Name: name, Unit: values.get(name)!.unit })),
            },
          ],
        },
        ...labels,
        ...Object.fromEntries([...values].map(([name, { value }]) => [name, value])),
      };
      documents.push(document);
      this.write(JSON.stringify(document));
    }
    return documents;
  }
}
