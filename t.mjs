import { loadSpec } from './scripts/lib/load-spec.mjs';
import { collectOperations } from './scripts/lib/operations.mjs';
const r = await loadSpec('spec/openapi.yaml');
console.log(JSON.stringify(collectOperations(r.spec).map(o => ({...o, responses: o.responses.length, parameters: o.parameters.map(p=>p.name)})), null, 1).slice(0,2500));
const u = await loadSpec('../shared/reference/arthur-engine-2.1.686.openapi.json', {lenient: true});
const ops = collectOperations(u.spec);
console.log(ops.length, ops.filter(o => o.pagination).length, ops.filter(o => /Via|\d$/.test(o.methodName)).map(o => o.resource + '.' + o.methodName));
console.log(ops.slice(0, 30).map(o => o.resource + '.' + o.methodName).join(' '));
