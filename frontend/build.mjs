/* Builds mentorkit's page front-end into the package: mentorkit/server/static/page.js and
   page.css (one file each, minified), their licences beside them. Each file's first line
   names the hash of what it was built from (the sources and the lockfile), which a test
   compares, so a change to the sources without a rebuild is noticed. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const here = new URL('.', import.meta.url).pathname;
const out = join(here, '..', 'mentorkit', 'server', 'static');
const inputs = ['package.json', 'package-lock.json', 'build.mjs',
  ...readdirSync(join(here, 'src')).sort().map((name) => join('src', name))];
const hash = createHash('sha256');
for (const name of inputs) hash.update(name).update('\0').update(readFileSync(join(here, name)));
const built = hash.digest('hex').slice(0, 16);

mkdirSync(out, { recursive: true });
const result = await esbuild.build({
  entryPoints: { page: join(here, 'src', 'page.js') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'none',
  metafile: true,
  banner: { js: `/* mentorkit page front-end, built from ${built} */`,
            css: `/* mentorkit page front-end, built from ${built} */` },
  loader: { '.svg': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
writeFileSync(join(out, 'BUILT_FROM'), `${built}\n`);

/* Every package bundled in, with its licence's text. */
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.set(match[1], join(here, 'node_modules', match[1]));
}
const notices = [...packages.keys()].sort().map((name) => {
  const folder = packages.get(name);
  const about = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const file = readdirSync(folder).find((entry) => /^(licen[cs]e|copying)/i.test(entry));
  const text = file && existsSync(join(folder, file)) ? readFileSync(join(folder, file), 'utf8').trim() : '';
  return `${name} ${about.version} (${about.license || 'see the package'})\n\n${text}\n`;
});
writeFileSync(join(out, 'page.LICENSES.txt'),
  `The packages bundled into page.js and page.css, with their licences.\n\n${notices.join('\n' + '-'.repeat(72) + '\n\n')}`);
console.log(`built ${built} into ${out}`);
