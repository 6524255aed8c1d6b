#!/usr/bin/env node
// A Prisma generator that writes the full DMMF datamodel to JSON. The "client" engine strips
// ids, required flags and relations from the runtime DMMF, and AdminJS needs all of them.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import generatorHelper from '@prisma/generator-helper';

generatorHelper.generatorHandler({
  onManifest: () => ({ prettyName: 'AdminJS DMMF', defaultOutput: '../admin/generated' }),
  onGenerate: async (options) => {
    const output = options.generator.output?.value;
    if (!output) throw new Error('adminDmmf generator needs an output folder');
    mkdirSync(output, { recursive: true });
    writeFileSync(path.join(output, 'dmmf.json'), JSON.stringify(options.dmmf.datamodel));
  },
});
