// After tsc: copies the files the compiled services read at run time (the CRI proto, the generated API schemas, deploy
// templates and sources) next to the compiled JavaScript, so dist/ mirrors the source tree,
// and marks the package's bin entries executable so `npx skiff ...` runs them.
import { chmodSync, cpSync, existsSync, readFileSync } from 'node:fs';

for (const dir of ['proto', 'deploy', 'api/schema/generated']) {
  if (existsSync(dir)) cpSync(dir, `dist/${dir}`, { recursive: true, filter: (src) => !src.endsWith('.ts') });
}

const { bin } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const file of Object.values(bin)) {
  if (existsSync(file)) chmodSync(file, 0o755);
}
