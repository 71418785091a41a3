// Copies the files the compiled services read at run time (the CRI proto, deploy templates)
// next to the compiled JavaScript, so dist/ mirrors the source tree.
import { cpSync, existsSync } from 'node:fs';

for (const dir of ['proto', 'deploy']) {
  if (existsSync(dir)) cpSync(dir, `dist/${dir}`, { recursive: true });
}
