// Rows for CustomResourceDefinitions, as kube-apiserver prints them: NAME and CREATED AT (the
// creation time itself, not an age).

import type { CustomResourceDefinition } from '../../api/types.js';
import { column, nameColumn, printer } from './printer.js';

export const customResourceDefinitionPrinter = printer<CustomResourceDefinition>(
  [nameColumn, column('Created At', 'When the definition was created.', { type: 'date' })],
  (crd) => [crd.metadata?.name ?? '', crd.metadata?.creationTimestamp ?? ''],
);
