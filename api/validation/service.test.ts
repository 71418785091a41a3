import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Endpoints, Service } from '../types.js';
import { causes, edit, messages } from './testing.js';

const svc: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9090 }] },
};

describe('Service', () => {
  it('accepts a typical service', () => expect(causes('Service', svc)).toEqual([]));

  it.each<[string, (s: Service) => void, string[]]>([
    ['no ports', (s) => (s.spec!.ports = []), ['spec.ports FieldValueRequired']],
    ['headless without ports', (s) => Object.assign(s.spec!, { clusterIP: 'None', ports: [] }), []],
    ['ExternalName without ports', (s) => (s.spec = { type: 'ExternalName', externalName: 'db.example.com' }), []],
    ['ExternalName without a name', (s) => (s.spec = { type: 'ExternalName' }), ['spec.externalName FieldValueRequired']],
    ['ExternalName with bad name', (s) => (s.spec = { type: 'ExternalName', externalName: 'not a host' }), ['spec.externalName FieldValueInvalid']],
    ['one unnamed port', (s) => (s.spec!.ports = [{ port: 80 }]), []],
    ['two ports, one unnamed', (s) => delete s.spec!.ports![1].name, ['spec.ports[1].name FieldValueRequired']],
    ['duplicate port names', (s) => (s.spec!.ports![1].name = 'http'), ['spec.ports[1].name FieldValueDuplicate']],
    ['port name syntax', (s) => (s.spec!.ports![0].name = 'HTTP'), ['spec.ports[0].name FieldValueInvalid']],
    ['port 0', (s) => (s.spec!.ports![0].port = 0), ['spec.ports[0].port FieldValueInvalid']],
    ['port too large', (s) => (s.spec!.ports![0].port = 65536), ['spec.ports[0].port FieldValueInvalid']],
    ['duplicate port and protocol', (s) => (s.spec!.ports![1].port = 80), ['spec.ports[1] FieldValueDuplicate']],
    ['same port, other protocol', (s) => Object.assign(s.spec!.ports![1], { port: 80, protocol: 'UDP' }), []],
    ['bad protocol', (s) => (s.spec!.ports![0].protocol = 'HTTP'), ['spec.ports[0].protocol FieldValueNotSupported']],
    ['targetPort name syntax', (s) => (s.spec!.ports![0].targetPort = 'web_port'), ['spec.ports[0].targetPort FieldValueInvalid']],
    ['targetPort number range', (s) => (s.spec!.ports![0].targetPort = 70000), ['spec.ports[0].targetPort FieldValueInvalid']],
    ['nodePort on ClusterIP', (s) => (s.spec!.ports![0].nodePort = 30080), ['spec.ports[0].nodePort FieldValueForbidden']],
    ['nodePort on NodePort', (s) => Object.assign(s.spec!, { type: 'NodePort' }) && (s.spec!.ports![0].nodePort = 30080), []],
    ['bad type', (s) => (s.spec!.type = 'Internal'), ['spec.type FieldValueNotSupported']],
    ['bad clusterIP', (s) => (s.spec!.clusterIP = '10.96.0.300'), ['spec.clusterIP FieldValueInvalid']],
    ['clusterIP and clusterIPs differ', (s) => Object.assign(s.spec!, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.11'] }), ['spec.clusterIPs[0] FieldValueInvalid']],
    ['headless NodePort', (s) => Object.assign(s.spec!, { clusterIP: 'None', type: 'NodePort' }), ['spec.type FieldValueInvalid']],
    ['selector value', (s) => (s.spec!.selector = { app: 'web app' }), ['spec.selector FieldValueInvalid']],
    ['session affinity', (s) => (s.spec!.sessionAffinity = 'Cookie'), ['spec.sessionAffinity FieldValueNotSupported']],
    [
      'affinity timeout',
      (s) => Object.assign(s.spec!, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }),
      ['spec.sessionAffinityConfig.clientIP.timeoutSeconds FieldValueInvalid'],
    ],
    ['externalTrafficPolicy on ClusterIP', (s) => (s.spec!.externalTrafficPolicy = 'Local'), ['spec.externalTrafficPolicy FieldValueInvalid']],
    ['externalTrafficPolicy Local on NodePort', (s) => Object.assign(s.spec!, { type: 'NodePort', externalTrafficPolicy: 'Local' }), []],
    ['IPv6 family', (s) => (s.spec!.ipFamilies = ['IPv6']), ['spec.ipFamilies[0] FieldValueNotSupported']],
    ['name must be a DNS-1035 label', (s) => (s.metadata!.name = '1web'), ['metadata.name FieldValueInvalid']],
  ])('%s', (_name, change, expected) => expect(causes('Service', edit(svc, change))).toEqual(expected));

  it.each<[string, (s: Service) => void, string[]]>([
    ['ports may change', (s) => (s.spec!.ports![0].port = 8080), []],
    ['clusterIP kept', () => undefined, []],
    ['clusterIP left out (the server refills it)', (s) => delete s.spec!.clusterIP, []],
    ['clusterIP changed', (s) => (s.spec!.clusterIP = '10.96.0.99'), ['spec.clusterIP FieldValueInvalid']],
    ['to ExternalName releases it', (s) => (s.spec = { type: 'ExternalName', externalName: 'db.example.com' }), []],
  ])('update: %s', (_name, change, expected) => {
    const stored = edit(svc, (s) => Object.assign(s.spec!, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] }));
    const next = edit(stored, (s) => {
      change(s);
      if (s.spec?.clusterIP !== '10.96.0.10') delete s.spec!.clusterIPs;
    });
    expect(causes('Service', next, stored)).toEqual(expected);
  });

  it('says which value is unsupported and what is', () => {
    expect(messages('Service', edit(svc, (s) => (s.spec!.type = 'Internal')))).toEqual([
      'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
  });
});

describe('Endpoints and EndpointSlice', () => {
  const ep: Endpoints = {
    metadata: { name: 'web', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '10.244.1.5', nodeName: 'node-1' }], notReadyAddresses: [{ ip: '10.244.2.7' }], ports: [{ name: 'http', port: 80 }] }],
  };
  it.each<[string, Endpoints, string[]]>([
    ['valid', ep, []],
    ['bad IP', edit(ep, (e) => (e.subsets![0].addresses![0].ip = '10.244.1')), ['subsets[0].addresses[0].ip FieldValueInvalid']],
    ['loopback', edit(ep, (e) => (e.subsets![0].notReadyAddresses![0].ip = '127.0.0.1')), ['subsets[0].notReadyAddresses[0].ip FieldValueInvalid']],
    ['link-local', edit(ep, (e) => (e.subsets![0].addresses![0].ip = '169.254.1.1')), ['subsets[0].addresses[0].ip FieldValueInvalid']],
    ['port range', edit(ep, (e) => (e.subsets![0].ports![0].port = 0)), ['subsets[0].ports[0].port FieldValueInvalid']],
    ['two ports need names', edit(ep, (e) => e.subsets![0].ports!.push({ port: 81 })), ['subsets[0].ports[1].name FieldValueRequired']],
  ])('Endpoints %s', (_name, obj, expected) => expect(causes('Endpoints', obj)).toEqual(expected));

  const slice: EndpointSlice = {
    metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'node-1' }],
    ports: [{ name: 'http', port: 80 }],
  };
  it.each<[string, EndpointSlice, string[]]>([
    ['valid', slice, []],
    ['bad address type', edit(slice, (s) => (s.addressType = 'IPv5')), ['addressType FieldValueNotSupported']],
    ['no addresses', edit(slice, (s) => (s.endpoints[0].addresses = [])), ['endpoints[0].addresses FieldValueRequired']],
    ['bad IPv4', edit(slice, (s) => (s.endpoints[0].addresses = ['fe80::1'])), ['endpoints[0].addresses[0] FieldValueInvalid']],
    ['IPv6 slice', edit(slice, (s) => Object.assign(s, { addressType: 'IPv6', endpoints: [{ addresses: ['fd00::5'] }] })), []],
    ['duplicate port names', edit(slice, (s) => s.ports!.push({ name: 'http', port: 81 })), ['ports[1].name FieldValueDuplicate']],
    ['port out of range', edit(slice, (s) => (s.ports![0].port = 70000)), ['ports[0].port FieldValueInvalid']],
  ])('EndpointSlice %s', (_name, obj, expected) => expect(causes('EndpointSlice', obj)).toEqual(expected));

  it('EndpointSlice address type is immutable', () => {
    expect(causes('EndpointSlice', edit(slice, (s) => Object.assign(s, { addressType: 'FQDN', endpoints: [{ addresses: ['web.example.com'] }] })), slice)).toEqual([
      'addressType FieldValueInvalid',
    ]);
  });
});
