// ConfigMaps and Secrets as kubectl describes them: each ConfigMap value under its key, and a
// Secret's keys with their sizes only (the values stay out of terminals and logs).

import type { ConfigMap, Event, Secret } from '../../../api/types.js';
import { writeEvents } from './events.js';
import { DescribeWriter, writeAnnotations, writeLabels } from './writer.js';

export function describeConfigMap(cm: ConfigMap, events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${cm.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${cm.metadata?.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', cm.metadata?.labels);
  writeAnnotations(w, 'Annotations', cm.metadata?.annotations);
  w.write(0, '\nData\n====\n');
  for (const key of Object.keys(cm.data ?? {}).sort()) w.write(0, `${key}:\n----\n${cm.data![key]}\n\n`);
  w.write(0, '\nBinaryData\n====\n');
  for (const key of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${key}: ${Buffer.from(cm.binaryData![key], 'base64').length} bytes\n`);
  w.write(0, '\n');
  writeEvents(w, events, now);
  return w.toString();
}

export function describeSecret(secret: Secret): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${secret.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${secret.metadata?.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', secret.metadata?.labels);
  writeAnnotations(w, 'Annotations', secret.metadata?.annotations);
  w.write(0, `\nType:\t${secret.type ?? 'Opaque'}\n`);
  w.write(0, '\nData\n====\n');
  for (const key of Object.keys(secret.data ?? {}).sort()) {
    const bytes = Buffer.from(secret.data![key], 'base64');
    // A service account token is meant to be read; every other value shows only its size.
    w.write(0, key === 'token' && secret.type === 'kubernetes.io/service-account-token' ? `${key}:\t${bytes.toString()}\n` : `${key}:\t${bytes.length} bytes\n`);
  }
  return w.toString();
}
