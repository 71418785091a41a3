// Generates api/schema/generated/definitions.json: the OpenAPI schemas of the Kubernetes types
// skiff serves, read from the `.d.ts` files of the installed `kubernetes-types` (every field,
// its optionality and upstream's description as a doc comment) with the TypeScript compiler
// API. TypeScript has one `number`; whether a field is an int32, int64 or double comes from
// the attribute formats of @kubernetes/client-node's generated models, and enums from
// kubernetes-models' declarations (all three are generated from the same upstream OpenAPI).
// Patch and list extensions are not written here: the catalog adds them at load time from
// api/patch-meta.ts, the one table of merge keys.
//
//   node scripts/gen-schemas.mjs           write the file
//   node scripts/gen-schemas.mjs --check   exit 1 when the committed file is stale

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const typesDir = dirname(require.resolve('kubernetes-types/package.json'));
const OUT = join(root, 'api/schema/generated/definitions.json');

// Each module of kubernetes-types read, and the upstream package its definitions are named in
// (`io.k8s.api.core.v1.Pod`). The served groups plus what their kinds and subresources use.
const MODULES = {
  'core/v1': 'io.k8s.api.core.v1',
  'apps/v1': 'io.k8s.api.apps.v1',
  'batch/v1': 'io.k8s.api.batch.v1',
  'coordination/v1': 'io.k8s.api.coordination.v1',
  'discovery/v1': 'io.k8s.api.discovery.v1',
  'policy/v1': 'io.k8s.api.policy.v1',
  'scheduling/v1': 'io.k8s.api.scheduling.v1',
  'autoscaling/v1': 'io.k8s.api.autoscaling.v1',
  'apiextensions/v1': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
};
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Schemas of upstream's special scalar types, written as upstream publishes them. */
const SCALARS = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  // A string or a number on the wire ("500m", 2): the same marker CRDs use for int-or-string.
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { 'x-kubernetes-int-or-string': true },
  [INT_OR_STRING]: {
    description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
  },
};

// apiextensions' JSONSchemaProps is itself a schema: its recursive unions (`JSONSchemaProps |
// boolean`) and `JSON` hold any JSON value.
const ANY_VALUE = { 'x-kubernetes-preserve-unknown-fields': true };

// --- number formats from @kubernetes/client-node's models -----------------------------------

const modelsDir = join(dirname(require.resolve('@kubernetes/client-node/package.json')), 'dist/gen/models');
const models = await import(join(modelsDir, 'all.js'));

const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** client-node's class for a type: `V1Pod`, or with the group first where names clash (`CoreV1Event`). */
function modelOf(module, name) {
  const [group, version] = module.split('/');
  if (!version) return undefined;
  const v = capitalize(version);
  for (const candidate of [`${capitalize(group)}${v}${name}`, `${v}${name}`]) {
    const m = models[candidate];
    if (typeof m?.getAttributeTypeMap === 'function') return m;
  }
  return undefined;
}

function numberSchema(module, typeName, field) {
  const attr = modelOf(module, typeName)?.getAttributeTypeMap().find((a) => a.baseName === field);
  switch (attr?.format) {
    case 'int32':
    case 'int64':
      return { type: 'integer', format: attr.format };
    case 'double':
      return { type: 'number', format: 'double' };
    default:
      throw new Error(`no number format for ${module} ${typeName}.${field}`);
  }
}

// --- enums from kubernetes-models' declarations ----------------------------------------------
// kubernetes-types writes enum fields as plain strings; kubernetes-models 4.5.0 (generated from
// the same upstream OpenAPI) writes them as unions of string literals, which `kubectl explain`
// prints as `enum: ...`. Only the enums are taken from there.

const MODELS_DIRS = {
  'core/v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'coordination/v1': 'kubernetes-models/coordination.k8s.io/v1',
  'discovery/v1': 'kubernetes-models/discovery.k8s.io/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'scheduling/v1': 'kubernetes-models/scheduling.k8s.io/v1',
  'autoscaling/v1': 'kubernetes-models/autoscaling/v1',
  'apiextensions/v1': 'kubernetes-models/apiextensions.k8s.io/v1',
  'meta/v1': '@kubernetes-models/apimachinery/apis/meta/v1',
};
const modelsRoot = dirname(dirname(require.resolve('kubernetes-models/package.json')));
const ENUM_FIELD = /^\s+"([^"]+)"\??: (Array<)?((?:"[^"]*"(?: \| )?)+)>?;$/;

/** Field name -> enum values of one type, from the `I<Name>` interface kubernetes-models declares. */
function enumsOf(module, typeName) {
  const dir = MODELS_DIRS[module];
  const out = new Map();
  if (!dir) return out;
  let text;
  try {
    text = readFileSync(join(modelsRoot, dir, `${typeName}.d.ts`), 'utf8');
  } catch {
    return out;
  }
  const start = text.indexOf(`export interface I${typeName} {`);
  if (start < 0) return out;
  const body = text.slice(start, text.indexOf('\n}', start));
  for (const line of body.split('\n')) {
    const m = ENUM_FIELD.exec(line);
    if (!m || m[1] === 'apiVersion' || m[1] === 'kind') continue;
    const values = [...m[3].matchAll(/"([^"]*)"/g)].map((v) => v[1]);
    if (values.length > 1) out.set(m[1], { values, list: m[2] !== undefined });
  }
  return out;
}

/** Adds each field's enum to its schema (to the items of a list of enums). */
function addEnums(module, typeName, def) {
  for (const [field, { values, list }] of enumsOf(module, typeName)) {
    const prop = def.properties?.[field];
    const target = list ? prop?.items : prop;
    if (target?.type === 'string') target.enum = values;
  }
}

// --- reading the declarations -----------------------------------------------------------------

const files = Object.keys(MODULES).map((m) => join(typesDir, `${m}.d.ts`));
const program = ts.createProgram(files, { noEmit: true, strict: true });
const checker = program.getTypeChecker();

function docOf(node) {
  const symbol = node.name ? checker.getSymbolAtLocation(node.name) : undefined;
  const text = symbol ? ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() : '';
  return text === '' ? {} : { description: text };
}

/** The module (`core/v1`) a declaration lives in. */
function moduleOfFile(fileName) {
  const rel = fileName.slice(typesDir.length + 1).replace(/\.d\.ts$/, '');
  if (!(rel in MODULES)) throw new Error(`type from an unmapped module: ${rel}`);
  return rel;
}

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });

/** The schema of a property's type node. `ctx` names the field for number formats and errors. */
function schemaOfType(node, ctx) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.NumberKeyword:
      return numberSchema(ctx.module, ctx.typeName, ctx.field);
    case ts.SyntaxKind.LiteralType:
      if (ts.isStringLiteral(node.literal)) return { type: 'string' };
      break;
    case ts.SyntaxKind.ArrayType:
      return { type: 'array', items: schemaOfType(node.elementType, ctx) };
    case ts.SyntaxKind.UnionType: {
      const kinds = node.types.map((t) => t.kind).sort();
      if (kinds.length === 2 && kinds[0] === ts.SyntaxKind.NumberKeyword && kinds[1] === ts.SyntaxKind.StringKeyword) return ref(INT_OR_STRING);
      break;
    }
    case ts.SyntaxKind.TypeLiteral: {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index && node.members.length === 1) return { type: 'object', additionalProperties: schemaOfType(index.type, ctx) };
      break;
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array' && node.typeArguments?.length === 1) return { type: 'array', items: schemaOfType(node.typeArguments[0], ctx) };
      let symbol = checker.getSymbolAtLocation(node.typeName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.declarations?.[0];
      if (!decl) break;
      const module = moduleOfFile(decl.getSourceFile().fileName);
      if (module === 'apiextensions/v1' && (name === 'JSON' || name.startsWith('JSONSchemaPropsOr'))) return { ...ANY_VALUE };
      return ref(`${MODULES[module]}.${symbol.name}`);
    }
  }
  throw new Error(`unsupported type ${ts.SyntaxKind[node.kind]} (${node.getText()}) at ${ctx.module} ${ctx.typeName}.${ctx.field}`);
}

function schemaOfInterface(module, decl) {
  const typeName = decl.name.text;
  const properties = {};
  const required = [];
  let gvk;
  const literal = (m) => (m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal) ? m.type.literal.text : undefined);
  const members = decl.members.filter(ts.isPropertySignature);
  const apiVersion = literal(members.find((m) => m.name.getText() === 'apiVersion') ?? {});
  const kind = literal(members.find((m) => m.name.getText() === 'kind') ?? {});
  if (apiVersion && kind) {
    const slash = apiVersion.indexOf('/');
    gvk = [{ group: slash < 0 ? '' : apiVersion.slice(0, slash), kind, version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1) }];
  }
  for (const member of members) {
    const field = member.name.getText().replace(/^"|"$/g, '');
    const schema = schemaOfType(member.type, { module, typeName, field });
    properties[field] = { ...docOf(member), ...schema };
    if (!member.questionToken) required.push(field);
  }
  // An interface without fields (RawExtension, FieldsV1) holds any JSON object.
  const free = members.length === 0 ? ANY_VALUE : {};
  return {
    ...docOf(decl),
    type: 'object',
    ...free,
    ...(required.length > 0 ? { required: required.sort() } : {}),
    ...(members.length > 0 ? { properties } : {}),
    ...(gvk ? { 'x-kubernetes-group-version-kind': gvk } : {}),
  };
}

// Kinds whose apiVersion and kind are plain strings in the types, with the kinds upstream tags them as.
const SHARED_GVK = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status': [{ group: '', kind: 'Status', version: 'v1' }],
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': ['', 'apps', 'batch', 'coordination.k8s.io', 'discovery.k8s.io', 'policy', 'scheduling.k8s.io', 'autoscaling', 'apiextensions.k8s.io'].map((group) => ({
    group,
    kind: 'DeleteOptions',
    version: 'v1',
  })),
  'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent': [{ group: '', kind: 'WatchEvent', version: 'v1' }],
};

const definitions = {};
for (const module of Object.keys(MODULES)) {
  const source = program.getSourceFile(join(typesDir, `${module}.d.ts`));
  for (const stmt of source.statements) {
    if (ts.isInterfaceDeclaration(stmt)) {
      if (module === 'apiextensions/v1' && stmt.name.text === 'JSON') continue;
      const def = schemaOfInterface(module, stmt);
      addEnums(module, stmt.name.text, def);
      definitions[`${MODULES[module]}.${stmt.name.text}`] = def;
    } else if (ts.isTypeAliasDeclaration(stmt)) {
      const name = `${MODULES[module]}.${stmt.name.text}`;
      if (name in SCALARS) definitions[name] = { ...docOf(stmt), ...SCALARS[name] };
    }
  }
}
definitions[INT_OR_STRING] = SCALARS[INT_OR_STRING];
for (const [name, gvk] of Object.entries(SHARED_GVK)) definitions[name]['x-kubernetes-group-version-kind'] = gvk;

// kubernetes-types leaves out JSONSchemaProps' Kubernetes extensions, which CRD schemas use
// (`kubectl apply` of a CRD asks for Strict field validation).
const JSON_SCHEMA_PROPS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
Object.assign(definitions[JSON_SCHEMA_PROPS].properties, {
  'x-kubernetes-embedded-resource': { type: 'boolean', description: 'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta.' },
  'x-kubernetes-int-or-string': { type: 'boolean', description: 'x-kubernetes-int-or-string specifies that this value is either an integer or a string.' },
  'x-kubernetes-list-map-keys': { type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'atomic', description: 'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map.' },
  'x-kubernetes-list-type': { type: 'string', description: 'x-kubernetes-list-type annotates an array to further describe its topology: atomic, set or map.' },
  'x-kubernetes-map-type': { type: 'string', description: 'x-kubernetes-map-type annotates an object to further describe its topology: granular or atomic.' },
  'x-kubernetes-preserve-unknown-fields': { type: 'boolean', description: 'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema.' },
  'x-kubernetes-validations': {
    type: 'array',
    items: { $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule' },
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['rule'],
    description: 'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.',
  },
});

const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
const header = {
  source: `kubernetes-types ${require('kubernetes-types/package.json').version}, number formats from @kubernetes/client-node ${require('@kubernetes/client-node/package.json').version}, enums from kubernetes-models ${require('kubernetes-models/package.json').version}; generated by scripts/gen-schemas.mjs, do not edit`,
};
const text = `${JSON.stringify({ ...header, definitions: sorted }, null, 1)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${OUT} is stale: run node scripts/gen-schemas.mjs`);
    process.exit(1);
  }
} else {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text);
  console.log(`wrote ${Object.keys(sorted).length} definitions to ${OUT}`);
}
