// Which printer serves which kind, keyed `group/Kind`.

import { configMapPrinter, endpointsPrinter, eventPrinter, namespacePrinter, nodePrinter, secretPrinter, serviceAccountPrinter, servicePrinter } from './core.js';
import { endpointSlicePrinter, leasePrinter, podDisruptionBudgetPrinter, priorityClassPrinter } from './cluster.js';
import { customResourceDefinitionPrinter } from './apiextensions.js';
import { podPrinter } from './pod.js';
import type { Printer } from './printer.js';
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, jobPrinter, replicaSetPrinter } from './workloads.js';

export const printers = new Map<string, Printer>([
  ['/Pod', podPrinter],
  ['/Node', nodePrinter],
  ['/Namespace', namespacePrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/Event', eventPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/Secret', secretPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['apps/DaemonSet', daemonSetPrinter],
  ['apps/ControllerRevision', controllerRevisionPrinter],
  ['batch/Job', jobPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  ['policy/PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['scheduling.k8s.io/PriorityClass', priorityClassPrinter],
  ['apiextensions.k8s.io/CustomResourceDefinition', customResourceDefinitionPrinter],
]);
