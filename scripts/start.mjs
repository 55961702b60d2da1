// `npm start`: the live demo.
import { spawnSync } from 'node:child_process';

const result = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'demo/cli.ts'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
