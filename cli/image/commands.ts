// The `skiff image` command group: load an archive into the cluster registry, list what it holds.

import type { Command } from 'commander';
import { DEFAULT_DATA_DIR } from '../cluster/layout.js';
import { loadImage } from './load.js';
import { clusterRegistryUrl, ensureRegistry, listImages } from './registry.js';

interface RegistryOpts {
  dataDir: string;
  registry?: string;
}

const registryOf = (opts: RegistryOpts): string => (opts.registry ?? clusterRegistryUrl(opts.dataDir)).replace(/\/+$/, '');

function printColumns(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i])).join('   ').trimEnd());
}

export function addImageCommands(program: Command): void {
  const image = program.command('image').description("Images in the cluster registry, which the nodes' containerd uses as a mirror");

  image
    .command('load')
    .description('Push an OCI archive or a `docker save` archive to the cluster registry')
    .argument('<file>', 'the image archive (tar)')
    .option('--data-dir <dir>', 'the cluster whose registry receives the image', DEFAULT_DATA_DIR)
    .option('--name <name>', 'the image name (default: the name recorded in the archive)')
    .option('--registry <url>', "the registry URL (default: the cluster's, e.g. http://10.200.0.1:5000)")
    .addHelpText('after', '\nExamples:\n  docker save web:v1 -o web.tar && npx skiff image load web.tar\n  npx skiff image load app.oci.tar --name web:v2\n')
    .action(async (file: string, opts: RegistryOpts & { name?: string }) => {
      const { name, digest } = await loadImage({ archive: file, registryUrl: registryOf(opts), name: opts.name });
      console.log(`loaded ${name} (${digest})`);
    });

  image
    .command('ls')
    .description('List the images in the cluster registry')
    .option('--data-dir <dir>', 'the cluster whose registry to list', DEFAULT_DATA_DIR)
    .option('--registry <url>', "the registry URL (default: the cluster's)")
    .action(async (opts: RegistryOpts) => {
      const url = registryOf(opts);
      await ensureRegistry(url);
      const images = await listImages(url);
      if (images.length === 0) {
        console.log(`no images in ${url}`);
        return;
      }
      printColumns([['IMAGE', 'TAG', 'DIGEST'], ...images.map((i) => [i.repository, i.tag, i.digest])]);
    });
}
